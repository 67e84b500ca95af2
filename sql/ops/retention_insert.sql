-- Sets a program's own retention period. Parameters: $program_id, $months.
insert into program_retention values ($program_id, $months)
