-- One row: the pair-quality figures of the filtered pairs, with the definitions of the report
-- (docs/metrics.md): mid-point / final satisfaction means over the answers of the filtered
-- pairs (only the answers of $f_role's respondents when set), the distinct respondents behind
-- each (for suppression), mid-point response rate, flagged and at-risk pairs (and at-risk
-- pairs by reason), meeting regularity, early terminations and their rate, and the distinct
-- participants of the filtered pairs.
-- The filtered pairs: filtered_pair_status, the mart_pair_status rows that pass the URL
-- filters (sql/marts/filtered_pair_status.sql; null = no filter).
-- Parameters: $program_id, $as_of (DATE), $f_cohort, $f_org, $f_generation, $f_role, $f_from, $f_to.
with
filtered_pairs as materialized (
  select ps.*
  from filtered_pair_status($program_id, $as_of::date, $f_cohort::varchar, $f_from::date, $f_to::date, $f_role::varchar, $f_org::varchar, $f_generation::varchar) ps
),
answers as (
  select
    e.phase,
    e.satisfaction,
    case e.respondent_role when 'mentor' then fp.mentor_id else fp.mentee_id end as respondent_id
  from stg_evaluations e
  join filtered_pairs fp on fp.pair_id = e.pair_id
  where e.program_id = $program_id
    and ($f_role is null or e.respondent_role = $f_role)
),
answer_figures as (
  select
    avg(satisfaction) filter (where phase = 'midpoint') as midpoint_satisfaction_mean,
    count(distinct respondent_id) filter (where phase = 'midpoint') as midpoint_respondents,
    avg(satisfaction) filter (where phase = 'final') as final_satisfaction_mean,
    count(distinct respondent_id) filter (where phase = 'final') as final_respondents
  from answers
),
members as (
  select mentor_id as participant_id from filtered_pairs
  union
  select mentee_id from filtered_pairs
),
pair_figures as (
  select
    count(*) as pairs,
    count(*) filter (where is_active) as active_pairs,
    count(*) filter (where is_completed) as completed_pairs,
    count(*) filter (where is_ended_early) as ended_early_pairs,
    count(*) filter (where is_ended_early) / nullif(count(*) filter (where is_completed or is_ended_early), 0) as early_termination_rate,
    case when bool_or(is_as_of_after_midpoint)
      then count(*) filter (where is_open_at_midpoint and count_midpoint_evaluations > 0)
           / nullif(count(*) filter (where is_open_at_midpoint), 0)
    end as midpoint_response_rate,
    count(*) filter (where is_midpoint_flagged) as midpoint_flagged_pairs,
    count(*) filter (where is_at_risk) as at_risk_pairs,
    count(*) filter (where is_at_risk and is_midpoint_flagged) as at_risk_flagged,
    count(*) filter (where is_at_risk and count_midpoint_evaluations = 0 and is_as_of_after_midpoint) as at_risk_no_midpoint,
    count(*) filter (where is_at_risk and is_matched_45_days_before_as_of and not has_recent_meeting) as at_risk_no_recent_meeting,
    avg(meeting_regularity) as meeting_regularity
  from filtered_pairs
)
select pair_figures.*, answer_figures.*, (select count(*) from members) as participants
from pair_figures, answer_figures
