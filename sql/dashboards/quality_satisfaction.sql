-- One row per evaluation phase (midpoint, final) and satisfaction score (1–5) given in the
-- filtered pairs' evaluations (only $f_role's respondents when set): the number of answers
-- and of distinct respondents. Scores nobody gave are present with 0.
-- The filtered pairs: mart_pair_status rows of the program whose intake cohort, matched_at
-- range, and mentor's/mentee's organization and generation (the member of $f_role when set,
-- else either) match the filters (null = no filter).
-- Parameters: $program_id, $as_of (DATE), $f_cohort, $f_org, $f_generation, $f_role, $f_from, $f_to.
with
filtered_pairs as materialized (
  select ps.pair_id, ps.mentor_id, ps.mentee_id
  from mart_pair_status($program_id, $as_of::date) ps
  where true
  and ($f_cohort is null or ps.cohort_month = $f_cohort)
  and ($f_from is null or ps.matched_at >= $f_from::date)
  and ($f_to is null or ps.matched_at <= $f_to::date)
  and ($f_org is null or case $f_role
    when 'mentor' then ps.mentor_org_id = $f_org
    when 'mentee' then ps.mentee_org_id = $f_org
    else ps.mentor_org_id = $f_org or ps.mentee_org_id = $f_org end)
  and ($f_generation is null or case $f_role
    when 'mentor' then ps.mentor_generation = $f_generation
    when 'mentee' then ps.mentee_generation = $f_generation
    else ps.mentor_generation = $f_generation or ps.mentee_generation = $f_generation end)
),
answers as (
  select
    e.phase,
    e.satisfaction,
    case e.respondent_role when 'mentor' then fp.mentor_id else fp.mentee_id end as respondent_id
  from stg_evaluations e
  join filtered_pairs fp on fp.pair_id = e.pair_id
  where e.program_id = $program_id
    and ($f_role is null or e.respondent_role = $f_role)
),
grid as (
  select phase, score
  from (values ('midpoint'), ('final')) as p(phase), range(1, 6) as s(score)
)
select
  g.phase,
  g.score::integer as satisfaction,
  count(a.respondent_id) as answers,
  count(distinct a.respondent_id) as respondents
from grid g
left join answers a on a.phase = g.phase and a.satisfaction = g.score
group by g.phase, g.score
order by case g.phase when 'midpoint' then 0 else 1 end, g.score
