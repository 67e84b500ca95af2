-- One row: every program-wide figure of the report (participants, pairs, quality, topics,
-- generations, costs). Definitions: docs/metrics.md. Rates and means with an empty
-- denominator are null (nullif), never 0.
-- Parameters: $program_id; $as_of (DATE, already resolved by report_program).
with
program as (
  select currency, $as_of::date >= midpoint_date(start_date, end_date) as is_as_of_after_midpoint
  from stg_programs
  where program_id = $program_id
),
people as materialized (
  select * from mart_participants($program_id)
),
pair_facts as materialized (
  select * from mart_pairs($program_id, $as_of::date)
),
participant_figures as (
  select
    count(*) as participants_total,
    count(*) filter (where role = 'mentor') as mentors,
    count(*) filter (where role = 'mentee') as mentees,
    count(*) filter (where role = 'mentee' and count_pairs > 0) as matched_mentees,
    count(distinct org_id) as organizations,
    count(*) filter (where generation = 'boomers') as participants_boomers,
    count(*) filter (where generation = 'gen_x') as participants_gen_x,
    count(*) filter (where generation = 'millennials') as participants_millennials,
    count(*) filter (where generation = 'gen_z') as participants_gen_z,
    count(*) filter (where is_outside_core) / nullif(count(*), 0) as outside_core_share
  from people
),
pair_figures as (
  select
    count(*) as pairs_total,
    count(*) filter (where is_active) as pairs_active,
    count(*) filter (where is_completed) as pairs_completed,
    count(*) filter (where is_ended_early) as pairs_ended_early,
    count(*) filter (where is_reverse) as pairs_reverse,
    count(*) filter (where is_midpoint_flagged) as midpoint_flagged_pairs,
    count(*) filter (where is_at_risk) as at_risk_pairs,
    avg(meeting_regularity) as meeting_regularity,
    count(*) filter (where is_ended_early)
      / nullif(count(*) filter (where is_completed or is_ended_early), 0) as early_termination_rate,
    count(*) filter (where is_open_at_midpoint) as pairs_open_at_midpoint,
    count(*) filter (where is_open_at_midpoint and count_midpoint_evaluations > 0)
      as pairs_open_at_midpoint_answered,
    count(*) filter (where is_cross_generation) / nullif(count(*), 0) as cross_generation_pair_rate,
    median(age_gap_years) as median_age_gap_years,
    sum(count_topics_targeted) as topics_targeted,
    sum(count_topics_acquired) as topics_acquired
  from pair_facts
),
evaluation_figures as (
  select
    avg(e.satisfaction) filter (where e.phase = 'midpoint') as midpoint_satisfaction_mean,
    avg(e.satisfaction) filter (where e.phase = 'final') as final_satisfaction_mean
  from stg_evaluations e
  where e.program_id = $program_id
),
topic_figures as (
  select median(t.acquired_at - pf.matched_at) as median_days_to_acquire
  from stg_pair_topics t
  join pair_facts pf on pf.pair_id = t.pair_id
  where t.program_id = $program_id and t.acquired_at is not null
),
cost_figures as (
  select sum(amount) as costs_total from stg_costs where program_id = $program_id
)
select
  participant_figures.*,
  pair_figures.* exclude (topics_targeted, topics_acquired),
  matched_mentees / nullif(mentees, 0) as match_rate,
  -- Null while as_of is before the midpoint: the question is not asked yet.
  case when program.is_as_of_after_midpoint
    then pairs_open_at_midpoint_answered / nullif(pairs_open_at_midpoint, 0)
  end as midpoint_response_rate,
  evaluation_figures.*,
  coalesce(topics_targeted, 0) as topics_targeted,
  coalesce(topics_acquired, 0) as topics_acquired,
  topics_acquired / nullif(topics_targeted, 0) as completion_rate,
  topic_figures.*,
  costs_total,
  costs_total / nullif(participants_total, 0) as cost_per_participant,
  costs_total / nullif(matched_mentees, 0) as cost_per_matched_mentee,
  costs_total / nullif(pairs_completed, 0) as cost_per_completed_pair,
  costs_total / nullif(topics_acquired, 0) as cost_per_acquired_topic,
  case when program.currency = 'EUR' then 600 end as market_band_low_per_mentee,
  case when program.currency = 'EUR' then 3600 end as market_band_high_per_mentee
from program, participant_figures, pair_figures, evaluation_figures, topic_figures, cost_figures
