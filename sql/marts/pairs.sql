-- Mart: one row per pair of a program, with its facts: status flags, organizations and
-- generations of both sides, age gap, cross-generation and cross-company flags, intake
-- cohort, calendar months and meeting regularity up to as_of, recent meetings, midpoint
-- evaluation facts, at-risk flag, topics targeted and acquired.
-- Table macro; parameters: p_program_id, p_as_of (DATE: the report's as_of).
create or replace temp macro mart_pairs(p_program_id, p_as_of) as table
with
program as (
  select midpoint_date(start_date, end_date) as midpoint_date
  from stg_programs
  where program_id = p_program_id
),
members as (
  select participant_id, org_id, birth_year from stg_participants where program_id = p_program_id
),
spans as materialized (
  select
    pr.*,
    month_index(pr.matched_at) as first_month_index,
    -- A pair's months run to the month of ended_at, else of as_of; pairs matched after as_of
    -- have no months (left out of meeting regularity).
    case when pr.matched_at <= p_as_of::date
      then month_index(coalesce(pr.ended_at, p_as_of::date))
    end as last_month_index
  from stg_pairs pr
  where pr.program_id = p_program_id
),
meeting_months as (
  select m.pair_id, month_index(m.met_on) as month_index, bool_or(m.mode = 'offline') as has_offline,
    count(*) filter (where m.met_on > p_as_of::date - 45 and m.met_on <= p_as_of::date) as count_recent
  from stg_meetings m
  where m.program_id = p_program_id
  group by m.pair_id, month_index(m.met_on)
),
meeting_facts as (
  select
    mm.pair_id,
    count(*) filter (
      where mm.has_offline and mm.month_index between s.first_month_index and s.last_month_index
    ) as count_offline_months,
    sum(mm.count_recent) as count_recent_meetings
  from meeting_months mm
  join spans s on s.pair_id = mm.pair_id
  group by mm.pair_id
),
evaluation_facts as (
  select
    pair_id,
    count(*) filter (where phase = 'midpoint') as count_midpoint_evaluations,
    count(*) filter (
      where phase = 'midpoint' and (satisfaction <= 2 or chemistry <= 2 or not would_continue)
    ) as count_midpoint_alerts
  from stg_evaluations
  where program_id = p_program_id
  group by pair_id
),
topic_facts as (
  select pair_id, count(*) as count_topics_targeted, count(acquired_at) as count_topics_acquired
  from stg_pair_topics
  where program_id = p_program_id
  group by pair_id
),
facts as (
  select
    s.program_id,
    s.pair_id,
    s.mentor_id,
    s.mentee_id,
    s.matched_at,
    s.ended_at,
    s.status,
    s.status = 'active' as is_active,
    s.status = 'completed' as is_completed,
    s.status = 'ended_early' as is_ended_early,
    s.reverse_since is not null as is_reverse,
    mentor.org_id as mentor_org_id,
    mentee.org_id as mentee_org_id,
    mentor.org_id <> mentee.org_id as is_cross_company,
    generation_key(mentor.birth_year) as mentor_generation,
    generation_key(mentee.birth_year) as mentee_generation,
    generation_key(mentor.birth_year) <> generation_key(mentee.birth_year) as is_cross_generation,
    abs(mentor.birth_year - mentee.birth_year) as age_gap_years,
    strftime(s.matched_at, '%Y-%m') as cohort_month,
    s.last_month_index - s.first_month_index + 1 as count_months,
    coalesce(mf.count_offline_months, 0) as count_offline_months,
    coalesce(mf.count_recent_meetings, 0) > 0 as has_recent_meeting,
    s.matched_at <= p_as_of::date - 45 as is_matched_45_days_before_as_of,
    s.ended_at is null or s.ended_at >= program.midpoint_date as is_open_at_midpoint,
    p_as_of::date >= program.midpoint_date as is_as_of_after_midpoint,
    coalesce(ef.count_midpoint_evaluations, 0) as count_midpoint_evaluations,
    coalesce(ef.count_midpoint_alerts, 0) > 0 as is_midpoint_flagged,
    coalesce(tf.count_topics_targeted, 0) as count_topics_targeted,
    coalesce(tf.count_topics_acquired, 0) as count_topics_acquired
  from spans s
  cross join program
  left join members mentor on mentor.participant_id = s.mentor_id
  left join members mentee on mentee.participant_id = s.mentee_id
  left join meeting_facts mf on mf.pair_id = s.pair_id
  left join evaluation_facts ef on ef.pair_id = s.pair_id
  left join topic_facts tf on tf.pair_id = s.pair_id
)
select
  *,
  count_offline_months / count_months as meeting_regularity,
  is_active and (
    is_midpoint_flagged
    or (count_midpoint_evaluations = 0 and is_as_of_after_midpoint)
    or (is_matched_45_days_before_as_of and not has_recent_meeting)
  ) as is_at_risk
from facts
