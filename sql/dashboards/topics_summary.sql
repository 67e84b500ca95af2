-- One row: topic completion of the pairs that pass the filters — topics targeted and
-- acquired, completion rate, median days to acquire (acquired_at − the pair's matched_at,
-- as the report), and the distinct mentees and pairs behind them. Unfiltered, the figures
-- equal the report's `topics` section.
-- Parameters: $program_id; filters $f_cohort, $f_org, $f_generation, $f_role, $f_from, $f_to
-- (each VARCHAR or null; see analytics/dashboards/page-filters.ts).
with
filtered_pairs as (
  select pair_id, mentee_id, matched_at
  from metrics_pairs mp
  where mp.program_id = $program_id
    and ($f_cohort::varchar is null or mp.cohort_month = $f_cohort::varchar)
    and ($f_from::date is null or mp.matched_at >= $f_from::date)
    and ($f_to::date is null or mp.matched_at <= $f_to::date)
    and (
      (coalesce($f_role::varchar, 'mentor') = 'mentor'
        and ($f_org::varchar is null or mp.mentor_org_id = $f_org::varchar)
        and ($f_generation::varchar is null or mp.mentor_generation = $f_generation::varchar))
      or (coalesce($f_role::varchar, 'mentee') = 'mentee'
        and ($f_org::varchar is null or mp.mentee_org_id = $f_org::varchar)
        and ($f_generation::varchar is null or mp.mentee_generation = $f_generation::varchar))
    )
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
