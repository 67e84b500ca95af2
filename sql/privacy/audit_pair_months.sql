-- One row per pair of a program running in at least one month by $as_of, with the calendar
-- months the quality page's regularity chart counts it in (the month of matched_at, or the
-- program's first month if later, to the month of ended_at, else of $as_of) and those of them
-- with an offline meeting: the per-pair facts behind sql/dashboards/quality_regularity.sql,
-- for the intruder audit (analytics/privacy/audit.server.ts). Months are 'YYYY-MM'.
-- Reads the metrics marts. Parameters: $program_id, $as_of (DATE).
with
program as (
  select month_index(start_date) as first_month, month_index(least(end_date, $as_of::date)) as last_month
  from stg_programs
  where program_id = $program_id
),
spans as (
  select
    ps.pair_id,
    greatest(ps.first_month_index, program.first_month) as from_month,
    least(ps.last_month_index, program.last_month) as to_month,
    ps.first_month_index,
    ps.last_month_index
  from mart_pair_status($program_id, $as_of::date) ps
  cross join program
  where ps.last_month_index is not null
)
select
  s.pair_id,
  [printf('%04d-%02d', (m - 1) // 12, (m - 1) % 12 + 1) for m in range(s.from_month, s.to_month + 1)] as running,
  [printf('%04d-%02d', (m - 1) // 12, (m - 1) % 12 + 1) for m in list_distinct(mp.offline_month_indexes) if m between s.first_month_index and s.last_month_index and m between s.from_month and s.to_month] as met
from spans s
join metrics_pairs mp on mp.program_id = $program_id and mp.pair_id = s.pair_id
order by s.pair_id
