-- One row: every program-wide figure of the report (participants, pairs, quality, topics,
-- generations, costs), from the materialized marts. Definitions: docs/metrics.md. A rate or
-- mean with an empty denominator is null (nullif), never 0.
-- Parameters: $program_id; $as_of (DATE, already resolved by report_program).
with
program as (
  select currency, $as_of::date >= midpoint_date(start_date, end_date) as is_as_of_after_midpoint
  from stg_programs
  where program_id = $program_id
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
  from metrics_participants
  where program_id = $program_id
),
pair_figures as (
  select
    count(*) as pairs_total,
    count(*) filter (where is_active) as pairs_active,
    count(*) filter (where is_completed) as pairs_completed,
    count(*) filter (where is_ended_early) as pairs_ended_early,
    count(*) filter (where is_reverse) as pairs_reverse,
    sum(sum_midpoint_satisfaction) / nullif(sum(count_midpoint_evaluations), 0) as midpoint_satisfaction_mean,
    sum(sum_final_satisfaction) / nullif(sum(count_final_evaluations), 0) as final_satisfaction_mean,
    count(*) filter (where is_open_at_midpoint) as pairs_open_at_midpoint,
    count(*) filter (where is_open_at_midpoint and count_midpoint_evaluations > 0)
      as pairs_open_at_midpoint_answered,
    count(*) filter (where is_midpoint_flagged) as midpoint_flagged_pairs,
    count(*) filter (where is_at_risk) as at_risk_pairs,
    avg(meeting_regularity) as meeting_regularity,
    count(*) filter (where is_ended_early)
      / nullif(count(*) filter (where is_completed or is_ended_early), 0) as early_termination_rate,
    count(*) filter (where is_cross_generation) / nullif(count(*), 0) as cross_generation_pair_rate,
    median(age_gap_years) as median_age_gap_years,
    coalesce(sum(count_topics_targeted), 0) as topics_targeted,
    coalesce(sum(count_topics_acquired), 0) as topics_acquired
  from mart_pair_status($program_id, $as_of::date)
),
topic_figures as (
  select median(days) as median_days_to_acquire
  from (
    select unnest(acquire_days) as days from metrics_pairs where program_id = $program_id
  )
),
cost_figures as (
  select sum(amount) as costs_total from stg_costs where program_id = $program_id
)
select
  participant_figures.*,
  pair_figures.*,
  matched_mentees / nullif(mentees, 0) as match_rate,
  -- Null while as_of is before the midpoint: the question is not asked yet.
  case when program.is_as_of_after_midpoint
    then pairs_open_at_midpoint_answered / nullif(pairs_open_at_midpoint, 0)
  end as midpoint_response_rate,
  topics_acquired / nullif(topics_targeted, 0) as completion_rate,
  topic_figures.*,
  costs_total,
  costs_total / nullif(participants_total, 0) as cost_per_participant,
  costs_total / nullif(matched_mentees, 0) as cost_per_matched_mentee,
  costs_total / nullif(pairs_completed, 0) as cost_per_completed_pair,
  costs_total / nullif(topics_acquired, 0) as cost_per_acquired_topic,
  case when program.currency = 'EUR' then 600 end as market_band_low_per_mentee,
  case when program.currency = 'EUR' then 3600 end as market_band_high_per_mentee
from program, participant_figures, pair_figures, topic_figures, cost_figures
