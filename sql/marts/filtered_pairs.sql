-- Table macro: one row per pair of the materialized pairs mart (every column of
-- metrics_pairs) of one program that passes the dashboards' URL filters. A null filter keeps
-- every pair. The organization and generation filters apply to the side `p_role` names, or to
-- either side when no role is chosen. The one definition of "the filtered pairs" for the pages.
-- Parameters: p_program_id, p_cohort (YYYY-MM), p_from, p_to (DATE, on matched_at),
-- p_role ('mentor' | 'mentee'), p_org (org_id), p_generation (generation key).
create or replace temp macro filtered_metrics_pairs(p_program_id, p_cohort, p_from, p_to, p_role, p_org, p_generation) as table
select mp.*
from metrics_pairs mp
where mp.program_id = p_program_id
  and (p_cohort is null or mp.cohort_month = p_cohort)
  and (p_from is null or mp.matched_at >= p_from)
  and (p_to is null or mp.matched_at <= p_to)
  and (
    (coalesce(p_role, 'mentor') = 'mentor'
      and (p_org is null or mp.mentor_org_id = p_org)
      and (p_generation is null or mp.mentor_generation = p_generation))
    or (coalesce(p_role, 'mentee') = 'mentee'
      and (p_org is null or mp.mentee_org_id = p_org)
      and (p_generation is null or mp.mentee_generation = p_generation))
  )
