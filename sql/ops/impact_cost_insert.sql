-- Sets a program's cost per departure (issue 13). Parameters: $program_id, $cost.
insert into program_impact values ($program_id, $cost::decimal(18, 2))
