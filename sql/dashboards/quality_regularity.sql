-- One row per calendar month from the program's start to $as_of: among the filtered pairs
-- running that month (the month lies between the month of matched_at and the month of
-- ended_at, else of as_of), how many had at least one offline meeting, and that share — the
-- month-by-month view of the report's meeting regularity.
-- The filtered pairs: filtered_pair_status, the mart_pair_status rows that pass the URL
-- filters (sql/marts/filtered_pair_status.sql; null = no filter).
-- Parameters: $program_id, $as_of (DATE), $f_cohort, $f_org, $f_generation, $f_role, $f_from, $f_to.
with
program as (
  select month_index(start_date) as first_month, month_index(least(end_date, $as_of::date)) as last_month
  from stg_programs
  where program_id = $program_id
),
filtered_pairs as materialized (
  select ps.pair_id, ps.first_month_index, ps.last_month_index
  from filtered_pair_status($program_id, $as_of::date, $f_cohort::varchar, $f_from::date, $f_to::date, $f_role::varchar, $f_org::varchar, $f_generation::varchar) ps
  where ps.last_month_index is not null
),
months as (
  select unnest(range(first_month, last_month + 1)) as month_index from program
),
-- Running pairs per month without a pairs × months join: +1 in the first month, −1 after the last.
steps as (
  select greatest(first_month_index, (select first_month from program)) as month_index, count(*) as delta
  from filtered_pairs group by 1
  union all
  select last_month_index + 1, -count(*) from filtered_pairs group by 1
),
met as (
  select m.month_index, count(*) as pairs_with_meeting
  from (
    select fp.pair_id, fp.first_month_index, fp.last_month_index, unnest(mp.offline_month_indexes) as month_index
    from filtered_pairs fp
    join metrics_pairs mp on mp.program_id = $program_id and mp.pair_id = fp.pair_id
  ) m
  where m.month_index between m.first_month_index and m.last_month_index
  group by 1
),
running as (
  select
    m.month_index,
    sum(coalesce(s.delta, 0)) over (order by m.month_index rows between unbounded preceding and current row) as running_pairs
  from months m
  left join (select month_index, sum(delta) as delta from steps group by 1) s on s.month_index = m.month_index
)
select
  printf('%04d-%02d', (r.month_index - 1) // 12, (r.month_index - 1) % 12 + 1) as month,
  r.running_pairs::bigint as running_pairs,
  coalesce(met.pairs_with_meeting, 0) as pairs_with_meeting,
  coalesce(met.pairs_with_meeting, 0) / nullif(r.running_pairs, 0) as share_with_meeting
from running r
left join met on met.month_index = r.month_index
order by r.month_index
