-- One row per stored program: its id, in order. No parameters.
select program_id from programs order by program_id
