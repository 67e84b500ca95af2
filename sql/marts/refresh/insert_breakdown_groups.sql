-- Refresh step: one row per breakdown group of the program, from mart_breakdown_groups (run
-- after metrics_participants and metrics_pairs are refreshed). Parameters: $program_id.
insert into metrics_breakdown_groups select * from mart_breakdown_groups($program_id)
