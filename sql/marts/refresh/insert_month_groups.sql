-- Refresh step: one row per month of the program, from mart_month_groups (run after
-- metrics_pairs is refreshed). Parameters: $program_id.
insert into metrics_month_groups select * from mart_month_groups($program_id)
