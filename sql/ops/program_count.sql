-- One row: whether a program is stored (n = 0 or 1). Parameters: $program_id.
select count(*) as n from programs where program_id = $program_id
