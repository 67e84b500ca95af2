-- Mart: one row per program with every program-wide figure that does not depend on the
-- report's as_of date, read from the materialized participants and pairs (definitions:
-- docs/metrics.md). A rate or mean with an empty denominator is null (nullif), never 0.
-- Table macro; parameters: p_program_id.
create or replace temp macro mart_program_figures(p_program_id) as table
with
participant_figures as (
  select
    count(*) as participants_total,
    count(*) filter (where role = 'mentor') as mentors,
    count(*) filter (where role = 'mentee') as mentees,
    count(*) filter (where is_matched_mentee(role, count_pairs)) as matched_mentees,
    count(distinct org_id) as organizations,
    count(*) filter (where generation = 'boomers') as participants_boomers,
    count(*) filter (where generation = 'gen_x') as participants_gen_x,
    count(*) filter (where generation = 'millennials') as participants_millennials,
    count(*) filter (where generation = 'gen_z') as participants_gen_z,
    count(*) filter (where is_outside_core) / nullif(count(*), 0) as outside_core_share
  from metrics_participants
  where program_id = p_program_id
),
program as (
  select midpoint_date(start_date, end_date) as midpoint_date
  from stg_programs
  where program_id = p_program_id
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
    count(*) filter (where ended_at is null or ended_at >= program.midpoint_date) as pairs_open_at_midpoint,
    count(*) filter (
      where (ended_at is null or ended_at >= program.midpoint_date) and count_midpoint_evaluations > 0
    ) as pairs_open_at_midpoint_answered,
    count(*) filter (where is_midpoint_flagged) as midpoint_flagged_pairs,
    count(*) filter (where is_ended_early)
      / nullif(count(*) filter (where is_completed or is_ended_early), 0) as early_termination_rate,
    count(*) filter (where is_cross_generation) / nullif(count(*), 0) as cross_generation_pair_rate,
    median(age_gap_years) as median_age_gap_years,
    coalesce(sum(count_topics_targeted), 0) as topics_targeted,
    coalesce(sum(count_topics_acquired), 0) as topics_acquired
  from metrics_pairs
  cross join program
  where program_id = p_program_id
),
topic_figures as (
  select median(days) as median_days_to_acquire
  from (select unnest(acquire_days) as days from metrics_pairs where program_id = p_program_id)
)
select
  p_program_id::varchar as program_id,
  participant_figures.*,
  pair_figures.*,
  matched_mentees / nullif(mentees, 0) as match_rate,
  topics_acquired / nullif(topics_targeted, 0) as completion_rate,
  topic_figures.*
from participant_figures, pair_figures, topic_figures
