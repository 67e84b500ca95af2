-- One row per role and octave (low: age at start < 30, core: 30–50, high: > 50; the marts'
-- is_outside_core), over the participants that pass the filters.
-- Parameters: $program_id; filters $f_cohort, $f_org, $f_generation, $f_role, $f_from, $f_to.
select
  p.role,
  case when not p.is_outside_core then 'core' when p.age_at_start_years < 30 then 'low' else 'high' end as octave,
  count(*) as participants
from filtered_metrics_participants($program_id, $f_cohort::varchar, $f_from::date, $f_to::date, $f_role::varchar, $f_org::varchar, $f_generation::varchar) p
group by all
order by p.role, octave
