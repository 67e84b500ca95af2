-- Mart: one row per participant of a program, with the facts the breakdowns bucket on
-- (generation, age at start, outside-core flag, gender key, intake cohort = month of the
-- first matched_at) and the per-person sums they add up (pairs, midpoint answers given,
-- topics of the pairs where the person is the mentee).
-- Table macro; parameters: p_program_id.
create or replace temp macro mart_participants(p_program_id) as table
with
program as (
  select start_date from stg_programs where program_id = p_program_id
),
program_pairs as materialized (
  select pair_id, mentor_id, mentee_id, matched_at from stg_pairs where program_id = p_program_id
),
memberships as (
  select mentor_id as participant_id, matched_at from program_pairs
  union all
  select mentee_id as participant_id, matched_at from program_pairs
),
membership_facts as (
  select participant_id, count(*) as count_pairs, min(matched_at) as first_matched_at
  from memberships
  group by participant_id
),
midpoint_answers as (
  select
    case e.respondent_role when 'mentor' then pp.mentor_id else pp.mentee_id end as participant_id,
    count(*) as count_midpoint_answers,
    sum(e.satisfaction) as sum_midpoint_satisfaction
  from stg_evaluations e
  join program_pairs pp on pp.pair_id = e.pair_id
  where e.program_id = p_program_id and e.phase = 'midpoint'
  group by 1
),
mentee_topics as (
  select
    pp.mentee_id as participant_id,
    count(*) as count_topics_targeted,
    count(t.acquired_at) as count_topics_acquired
  from stg_pair_topics t
  join program_pairs pp on pp.pair_id = t.pair_id
  where t.program_id = p_program_id
  group by 1
)
select
  pt.program_id,
  pt.participant_id,
  pt.org_id,
  o.org_name,
  pt.role,
  pt.birth_year,
  coalesce(pt.gender, 'unknown') as gender_key,
  generation_key(pt.birth_year) as generation,
  year(program.start_date) - pt.birth_year as age_at_start_years,
  is_outside_core(year(program.start_date) - pt.birth_year) as is_outside_core,
  mf.first_matched_at,
  strftime(mf.first_matched_at, '%Y-%m') as cohort_month,
  coalesce(mf.count_pairs, 0) as count_pairs,
  coalesce(ma.count_midpoint_answers, 0) as count_midpoint_answers,
  ma.sum_midpoint_satisfaction,
  coalesce(mt.count_topics_targeted, 0) as count_topics_targeted,
  coalesce(mt.count_topics_acquired, 0) as count_topics_acquired
from stg_participants pt
cross join program
left join stg_organizations o on o.org_id = pt.org_id
left join membership_facts mf on mf.participant_id = pt.participant_id
left join midpoint_answers ma on ma.participant_id = pt.participant_id
left join mentee_topics mt on mt.participant_id = pt.participant_id
where pt.program_id = p_program_id
