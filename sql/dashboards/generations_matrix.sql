-- One row per (mentor generation, mentee generation) with at least one pair that passes the
-- filters: pairs, distinct people in them (for suppression), reverse-mentoring pairs.
-- Parameters: $program_id; filters $f_cohort, $f_org, $f_generation, $f_role, $f_from, $f_to.
with
filtered_pairs as (
  select mp.*
  from filtered_metrics_pairs($program_id, $f_cohort::varchar, $f_from::date, $f_to::date, $f_role::varchar, $f_org::varchar, $f_generation::varchar) mp
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
