-- One row per role and octave (low: age at start < 30, core: 30–50, high: > 50; the marts'
-- is_outside_core), over the participants that pass the filters.
-- Parameters: $program_id; filters $f_cohort, $f_org, $f_generation, $f_role, $f_from, $f_to.
select
  p.role,
  case when not p.is_outside_core then 'core' when p.age_at_start_years < 30 then 'low' else 'high' end as octave,
  count(*) as participants
from metrics_participants p
where p.program_id = $program_id
    and ($f_org::varchar is null or p.org_id = $f_org::varchar)
    and ($f_generation::varchar is null or p.generation = $f_generation::varchar)
    and ($f_role::varchar is null or p.role = $f_role::varchar)
    and ($f_cohort::varchar is null or p.cohort_month = $f_cohort::varchar)
    and ($f_from::date is null or p.first_matched_at >= $f_from::date)
    and ($f_to::date is null or p.first_matched_at <= $f_to::date)
group by all
order by p.role, octave
