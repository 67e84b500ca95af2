-- One row: every program-wide figure of the report (participants, pairs, quality, topics,
-- generations, costs): the materialized as_of-independent figures, plus the figures that
-- depend on as_of (midpoint response rate, at-risk pairs, meeting regularity) and the costs.
-- Definitions: docs/metrics.md. A rate or mean with an empty denominator is null, never 0.
-- Parameters: $program_id; $as_of (DATE, already resolved by report_program).
with
program as (
  select currency, $as_of::date >= midpoint_date(start_date, end_date) as is_as_of_after_midpoint
  from stg_programs
  where program_id = $program_id
),
figures as (
  select * exclude (program_id) from metrics_program_figures where program_id = $program_id
),
status_figures as (
  select
    count(*) filter (where is_at_risk) as at_risk_pairs,
    avg(meeting_regularity) as meeting_regularity
  from mart_pair_status($program_id, $as_of::date)
),
cost_figures as (
  select sum(amount) as costs_total from stg_costs where program_id = $program_id
)
select
  figures.*,
  status_figures.*,
  -- Null while as_of is before the midpoint: the question is not asked yet.
  case when program.is_as_of_after_midpoint
    then pairs_open_at_midpoint_answered / nullif(pairs_open_at_midpoint, 0)
  end as midpoint_response_rate,
  costs_total,
  costs_total / nullif(participants_total, 0) as cost_per_participant,
  costs_total / nullif(matched_mentees, 0) as cost_per_matched_mentee,
  costs_total / nullif(pairs_completed, 0) as cost_per_completed_pair,
  costs_total / nullif(topics_acquired, 0) as cost_per_acquired_topic,
  case when program.currency = 'EUR' then 600 end as market_band_low_per_mentee,
  case when program.currency = 'EUR' then 3600 end as market_band_high_per_mentee
from program, figures, status_figures, cost_figures
