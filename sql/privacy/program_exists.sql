-- One row: whether a program exists (n = 1). Parameters: $program_id.
select count(*) as n from programs where program_id = $program_id
