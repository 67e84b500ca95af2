-- One row per (mentor generation, mentee generation) with at least one pair that passes the
-- filters: pairs, distinct people in them (for suppression), reverse-mentoring pairs.
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
  mentor_generation,
  mentee_generation,
  count(*) as pairs,
  count(distinct mentor_id) + count(distinct mentee_id) as people,
  count(*) filter (where is_reverse) as pairs_reverse
from filtered_pairs
group by all
order by mentor_generation, mentee_generation
