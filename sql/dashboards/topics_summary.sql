-- One row: topic completion of the pairs that pass the filters — topics targeted and
-- acquired, completion rate, median days to acquire (acquired_at − the pair's matched_at,
-- as the report), and the distinct mentees and pairs behind them. Unfiltered, the figures
-- equal the report's `topics` section.
-- Parameters: $program_id; filters $f_cohort, $f_org, $f_generation, $f_role, $f_from, $f_to
-- (each VARCHAR or null; see analytics/dashboards/page-filters.ts).
with
filtered_pairs as (
  select pair_id, mentee_id, matched_at
  from filtered_metrics_pairs($program_id, $f_cohort::varchar, $f_from::date, $f_to::date, $f_role::varchar, $f_org::varchar, $f_generation::varchar) mp
),
pair_topic_rows as (
  select fp.pair_id, fp.mentee_id, t.acquired_at, t.acquired_at - fp.matched_at as days_to_acquire
  from stg_pair_topics t
  join filtered_pairs fp on fp.pair_id = t.pair_id
  where t.program_id = $program_id
)
select
  count(*) as topics_targeted,
  count(acquired_at) as topics_acquired,
  count(acquired_at) / nullif(count(*), 0) as completion_rate,
  median(days_to_acquire) as median_days_to_acquire,
  count(distinct mentee_id) as mentees,
  count(distinct mentee_id) filter (where acquired_at is not null) as acquiring_mentees,
  count(distinct pair_id) as pairs,
  (select count(*) from filtered_pairs) as filtered_pairs
from pair_topic_rows
