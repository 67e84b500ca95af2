-- One row per topic category and 15-day band of days to acquire (acquired_at − the pair's
-- matched_at), over the acquired topics of the pairs that pass the filters: the band's first
-- day, the acquired topics in it, and the distinct mentees behind them.
-- Parameters: $program_id; filters $f_cohort, $f_org, $f_generation, $f_role, $f_from, $f_to.
with
filtered_pairs as (
  select pair_id, mentee_id, matched_at
  from filtered_metrics_pairs($program_id, $f_cohort::varchar, $f_from::date, $f_to::date, $f_role::varchar, $f_org::varchar, $f_generation::varchar) mp
)
select
  coalesce(tp.topic_category, 'other') as topic_category,
  (((t.acquired_at - fp.matched_at) // 15) * 15)::integer as band_start_days,
  count(*) as topics_acquired,
  count(distinct fp.mentee_id) as mentees
from stg_pair_topics t
join filtered_pairs fp on fp.pair_id = t.pair_id
left join stg_topics tp on tp.program_id = t.program_id and tp.topic_id = t.topic_id
where t.program_id = $program_id and t.acquired_at is not null
group by all
order by topic_category, band_start_days
