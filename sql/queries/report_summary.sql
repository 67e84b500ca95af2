-- One row: every program-wide figure of the report (participants, pairs, quality, topics,
-- generations, costs): the materialized as_of-independent figures, plus the figures that
-- depend on as_of (midpoint response rate, at-risk pairs, meeting regularity) and the costs.
-- Definitions: docs/metrics.md; the cost ratios: marts/macros/cost_ratios.sql; the band:
-- marts/market_bands.sql. A rate or mean with an empty denominator is null, never 0.
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
  unnest(cost_ratios(costs_total, participants_total, matched_mentees, pairs_completed, topics_acquired)),
  band.low_per_mentee as market_band_low_per_mentee,
  band.high_per_mentee as market_band_high_per_mentee
from program
cross join figures
cross join status_figures
cross join cost_figures
left join market_bands band on band.currency = program.currency
