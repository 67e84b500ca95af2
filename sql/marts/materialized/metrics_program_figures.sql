-- Materialized mart (connection-local TEMP table): mart_program_figures' row for every
-- program loaded so far, refreshed per program after metrics_participants and metrics_pairs.
-- Created empty here. No parameters.
create temp table if not exists metrics_program_figures as
select * from mart_program_figures(null) limit 0
