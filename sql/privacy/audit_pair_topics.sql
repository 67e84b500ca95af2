-- One row per topic targeted by a pair of a program: the topic, its category as the topics
-- page groups it ('other' when the topic list does not give one), whether it was acquired and
-- the 15-day band of days to acquire (acquired_at − the pair's matched_at, as the page's
-- chart). The intruder audit's topic cells (analytics/privacy/audit.server.ts).
-- Reads the staging views and the metrics marts. Parameters: $program_id.
select
  t.pair_id,
  t.topic_id,
  coalesce(tp.topic_category, 'other') as category,
  t.acquired_at is not null as acquired,
  case when t.acquired_at is not null then (((t.acquired_at - mp.matched_at) // 15) * 15)::integer end as band
from stg_pair_topics t
join metrics_pairs mp on mp.program_id = t.program_id and mp.pair_id = t.pair_id
left join stg_topics tp on tp.program_id = t.program_id and tp.topic_id = t.topic_id
where t.program_id = $program_id
order by t.pair_id, t.topic_id
