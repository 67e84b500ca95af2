-- One row: the cost figures of the cost lines that pass the filters and their denominators.
-- Cost lines pass when their paying organization is $f_org (when set) and their date is in
-- [$f_from, $f_to]; the denominators (participants, matched mentees, completed pairs, acquired
-- topics) are those of the organization's people when $f_org is set (a pair or topic belongs
-- to its mentee's organization), else program-wide. Cohort, generation and role do not
-- apply: cost lines are not attributed to people. Unfiltered, every figure equals the report's
-- `costs` section (total null when there is no cost line; a ratio null on an empty
-- denominator; marts/macros/cost_ratios.sql). The band: marts/market_bands.sql.
-- Parameters: $program_id; filters $f_org, $f_from, $f_to (VARCHAR or null; others unused).
with
program as (
  select currency from stg_programs where program_id = $program_id
),
cost_lines as (
  select amount
  from filtered_cost_lines($program_id, $f_org::varchar, $f_from::date, $f_to::date) c
),
people as (
  select
    count(*) as participants,
    count(*) filter (where is_matched_mentee(role, count_pairs)) as matched_mentees
  from metrics_participants
  where program_id = $program_id and ($f_org::varchar is null or org_id = $f_org::varchar)
),
pair_figures as (
  select
    count(*) filter (where is_completed) as pairs_completed,
    coalesce(sum(count_topics_acquired), 0) as topics_acquired
  from metrics_pairs
  where program_id = $program_id and ($f_org::varchar is null or mentee_org_id = $f_org::varchar)
),
cost_figures as (
  select sum(amount) as costs_total, count(*) as cost_lines from cost_lines
)
select
  program.currency,
  cost_figures.*,
  people.*,
  pair_figures.*,
  unnest(cost_ratios(costs_total, participants, matched_mentees, pairs_completed, topics_acquired)),
  band.low_per_mentee as market_band_low_per_mentee,
  band.high_per_mentee as market_band_high_per_mentee
from program
cross join cost_figures
cross join people
cross join pair_figures
left join market_bands band on band.currency = program.currency
