-- Materialized mart (connection-local TEMP table): mart_month_groups' rows for every
-- program loaded so far, refreshed per program after metrics_pairs. Created empty here.
-- No parameters.
create temp table if not exists metrics_month_groups as
select * from mart_month_groups(null) limit 0
