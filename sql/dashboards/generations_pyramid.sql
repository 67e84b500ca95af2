-- One row per role and 5-year band of age at the program's start (band_start_years = 5 ×
-- ⌊age / 5⌋; age from the participants mart), over the participants that pass the filters:
-- how many, and how many of them are outside the 30–50 core.
-- Parameters: $program_id; filters $f_cohort, $f_org, $f_generation, $f_role, $f_from, $f_to.
select
  p.role,
  (5 * (p.age_at_start_years // 5))::integer as band_start_years,
  count(*) as participants,
  count(*) filter (where p.is_outside_core) as participants_outside_core
from metrics_participants p
where p.program_id = $program_id
    and ($f_org::varchar is null or p.org_id = $f_org::varchar)
    and ($f_generation::varchar is null or p.generation = $f_generation::varchar)
    and ($f_role::varchar is null or p.role = $f_role::varchar)
    and ($f_cohort::varchar is null or p.cohort_month = $f_cohort::varchar)
    and ($f_from::date is null or p.first_matched_at >= $f_from::date)
    and ($f_to::date is null or p.first_matched_at <= $f_to::date)
group by all
order by p.role, band_start_years
