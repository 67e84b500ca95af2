-- One row per evaluation phase (midpoint, final) and satisfaction score (1–5) given in the
-- filtered pairs' evaluations (only $f_role's respondents when set): the number of answers
-- and of distinct respondents. Scores nobody gave are present with 0.
-- The filtered pairs: filtered_pair_status, the mart_pair_status rows that pass the URL
-- filters (sql/marts/filtered_pair_status.sql; null = no filter).
-- Parameters: $program_id, $as_of (DATE), $f_cohort, $f_org, $f_generation, $f_role, $f_from, $f_to.
with
filtered_pairs as materialized (
  select ps.pair_id, ps.mentor_id, ps.mentee_id
  from filtered_pair_status($program_id, $as_of::date, $f_cohort::varchar, $f_from::date, $f_to::date, $f_role::varchar, $f_org::varchar, $f_generation::varchar) ps
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
