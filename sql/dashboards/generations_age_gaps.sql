-- One row per 5-year band of age gap (|mentor birth year − mentee birth year|, from the pairs
-- mart; band_start_years = 5 × ⌊gap / 5⌋), over the pairs that pass the filters: pairs,
-- cross-generation pairs, and distinct people in them (for suppression).
-- Parameters: $program_id; filters $f_cohort, $f_org, $f_generation, $f_role, $f_from, $f_to.
with
filtered_pairs as (
  select mp.*
  from filtered_metrics_pairs($program_id, $f_cohort::varchar, $f_from::date, $f_to::date, $f_role::varchar, $f_org::varchar, $f_generation::varchar) mp
)
select
  (5 * (age_gap_years // 5))::integer as band_start_years,
  count(*) as pairs,
  count(*) filter (where is_cross_generation) as pairs_cross_generation,
  count(distinct mentor_id) + count(distinct mentee_id) as people
from filtered_pairs
where age_gap_years is not null
group by all
order by band_start_years
