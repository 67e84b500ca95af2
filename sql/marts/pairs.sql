-- Mart: one row per pair of a program, with the facts that do not depend on the report's
-- as_of date: status flags, organization, generation, gender and intake cohort of both
-- sides, age gap, cross-generation and cross-company flags, its meetings (dates; distinct
-- months with an offline meeting), its evaluation sums and its topics (targeted, acquired,
-- days to acquire). The as_of-dependent facts are in pair_status.sql. Both sides' facts come
-- from the materialized metrics_participants (refreshed first), not recomputed.
-- Table macro; parameters: p_program_id.
create or replace temp macro mart_pairs(p_program_id) as table
with
members as (
  select participant_id, org_id, birth_year, generation, gender_key, cohort_month
  from metrics_participants
  where program_id = p_program_id
),
program_pairs as materialized (
  select * from stg_pairs where program_id = p_program_id
),
meeting_facts as (
  select
    pair_id,
    list_sort(list_distinct(list(month_index(met_on)) filter (where mode = 'offline'))) as offline_month_indexes,
    list_sort(list(met_on)) as meeting_dates,
    max(met_on) as last_meeting_date,
    max(month_index(met_on)) filter (where mode = 'offline') as last_offline_month_index
  from stg_meetings
  where program_id = p_program_id
  group by pair_id
),
evaluation_facts as (
  select
    pair_id,
    count(*) filter (where phase = 'midpoint') as count_midpoint_evaluations,
    sum(satisfaction) filter (where phase = 'midpoint') as sum_midpoint_satisfaction,
    count(*) filter (where phase = 'final') as count_final_evaluations,
    sum(satisfaction) filter (where phase = 'final') as sum_final_satisfaction,
    count(*) filter (
      where phase = 'midpoint' and (satisfaction <= 2 or chemistry <= 2 or not would_continue)
    ) as count_midpoint_alerts
  from stg_evaluations
  where program_id = p_program_id
  group by pair_id
),
topic_facts as (
  select
    t.pair_id,
    count(*) as count_topics_targeted,
    count(t.acquired_at) as count_topics_acquired,
    list(t.acquired_at - pp.matched_at) filter (where t.acquired_at is not null) as acquire_days
  from stg_pair_topics t
  join program_pairs pp on pp.pair_id = t.pair_id
  where t.program_id = p_program_id
  group by t.pair_id
)
select
  pp.program_id,
  pp.pair_id,
  pp.mentor_id,
  pp.mentee_id,
  pp.matched_at,
  pp.ended_at,
  pp.status,
  pp.status = 'active' as is_active,
  pp.status = 'completed' as is_completed,
  pp.status = 'ended_early' as is_ended_early,
  pp.reverse_since is not null as is_reverse,
  mentor.org_id as mentor_org_id,
  mentee.org_id as mentee_org_id,
  mentor.org_id <> mentee.org_id as is_cross_company,
  mentor.generation as mentor_generation,
  mentee.generation as mentee_generation,
  mentor.generation <> mentee.generation as is_cross_generation,
  abs(mentor.birth_year - mentee.birth_year) as age_gap_years,
  mentor.gender_key as mentor_gender_key,
  mentee.gender_key as mentee_gender_key,
  mentor.cohort_month as mentor_cohort_month,
  mentee.cohort_month as mentee_cohort_month,
  strftime(pp.matched_at, '%Y-%m') as cohort_month,
  month_index(pp.matched_at) as first_month_index,
  coalesce(mf.offline_month_indexes, []) as offline_month_indexes,
  coalesce(mf.meeting_dates, []) as meeting_dates,
  mf.last_meeting_date,
  len(coalesce(mf.offline_month_indexes, [])) as count_offline_months_total,
  mf.last_offline_month_index,
  coalesce(ef.count_midpoint_evaluations, 0) as count_midpoint_evaluations,
  ef.sum_midpoint_satisfaction,
  coalesce(ef.count_final_evaluations, 0) as count_final_evaluations,
  ef.sum_final_satisfaction,
  coalesce(ef.count_midpoint_alerts, 0) > 0 as is_midpoint_flagged,
  coalesce(tf.count_topics_targeted, 0) as count_topics_targeted,
  coalesce(tf.count_topics_acquired, 0) as count_topics_acquired,
  coalesce(tf.acquire_days, []) as acquire_days
from program_pairs pp
left join members mentor on mentor.participant_id = pp.mentor_id
left join members mentee on mentee.participant_id = pp.mentee_id
left join meeting_facts mf on mf.pair_id = pp.pair_id
left join evaluation_facts ef on ef.pair_id = pp.pair_id
left join topic_facts tf on tf.pair_id = pp.pair_id
