-- One row per role and 5-year band of age at the program's start (band_start_years = 5 ×
-- ⌊age / 5⌋; age from the participants mart), over the participants that pass the filters:
-- how many, and how many of them are outside the 30–50 core.
-- Parameters: $program_id; filters $f_cohort, $f_org, $f_generation, $f_role, $f_from, $f_to.
select
  p.role,
  (5 * (p.age_at_start_years // 5))::integer as band_start_years,
  count(*) as participants,
  count(*) filter (where p.is_outside_core) as participants_outside_core
from filtered_metrics_participants($program_id, $f_cohort::varchar, $f_from::date, $f_to::date, $f_role::varchar, $f_org::varchar, $f_generation::varchar) p
group by all
order by p.role, band_start_years
