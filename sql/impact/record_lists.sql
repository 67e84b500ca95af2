-- The impact figures' counts as the report reads them (analytics/metrics/impact.server.ts):
-- one row per outcome, side, role and cell of the program's workforce, with the times, the
-- statuses and the numbers of people of its rows of sql/impact/records.sql as three lists in
-- time then status order. Flattened in row order they are records.sql's rows in its order;
-- at 2,000,000 people that is ~3,500 rows instead of ~390,000, which DuckDB's values reach
-- JavaScript 6× faster. Parameters: $program_id, $horizon_months.
select outcome, participant, role, cell,
  list(time order by time, event) as times,
  list(event order by time, event) as events,
  list(n order by time, event) as counts
from workforce_groups($program_id, $horizon_months)
group by all
order by 1, 2, 3, 4
