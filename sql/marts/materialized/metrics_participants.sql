-- Materialized mart (connection-local TEMP table): one row per participant, every program
-- loaded so far; mart_participants' rows, refreshed per program when its data changes
-- (analytics/metrics/schema.server.ts). Created empty here. No parameters.
create temp table if not exists metrics_participants as
select * from mart_participants(null) limit 0
