-- Materialized mart (connection-local TEMP table): mart_breakdown_groups' rows for every
-- program loaded so far, refreshed per program after metrics_participants and metrics_pairs.
-- Created empty here. No parameters.
create temp table if not exists metrics_breakdown_groups as
select * from mart_breakdown_groups(null) limit 0
