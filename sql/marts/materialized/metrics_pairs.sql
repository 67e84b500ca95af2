-- Materialized mart (connection-local TEMP table): one row per pair, every program loaded so
-- far; mart_pairs' rows, refreshed per program when its data changes
-- (analytics/metrics/schema.server.ts). Created empty here. No parameters.
create temp table if not exists metrics_pairs as
select * from mart_pairs(null) limit 0
