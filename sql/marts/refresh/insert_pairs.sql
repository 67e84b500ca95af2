-- Refresh step: one row per pair of the program, from mart_pairs.
-- Parameters: $program_id.
insert into metrics_pairs select * from mart_pairs($program_id)
