-- One row per 5-year band of age gap (|mentor birth year − mentee birth year|, from the pairs
-- mart; band_start_years = 5 × ⌊gap / 5⌋), over the pairs that pass the filters: pairs,
-- cross-generation pairs, and distinct people in them (for suppression).
-- Parameters: $program_id; filters $f_cohort, $f_org, $f_generation, $f_role, $f_from, $f_to.
with
filtered_pairs as (
  select mp.*
  from metrics_pairs mp
  where mp.program_id = $program_id
    and ($f_cohort::varchar is null or mp.cohort_month = $f_cohort::varchar)
    and ($f_from::date is null or mp.matched_at >= $f_from::date)
    and ($f_to::date is null or mp.matched_at <= $f_to::date)
    and (
      (coalesce($f_role::varchar, 'mentor') = 'mentor'
        and ($f_org::varchar is null or mp.mentor_org_id = $f_org::varchar)
        and ($f_generation::varchar is null or mp.mentor_generation = $f_generation::varchar))
      or (coalesce($f_role::varchar, 'mentee') = 'mentee'
        and ($f_org::varchar is null or mp.mentee_org_id = $f_org::varchar)
        and ($f_generation::varchar is null or mp.mentee_generation = $f_generation::varchar))
    )
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
