-- Table macro: one row per participant of the materialized participants mart (every column of
-- metrics_participants) of one program that passes the dashboards' URL filters, each on the
-- person: organization, generation, role, intake cohort, and the date of their first match
-- within [p_from, p_to]. A null filter keeps everyone. The one definition of "the filtered
-- participants" for the pages (the filtered pairs: sql/marts/filtered_pairs.sql).
-- Parameters: p_program_id, p_cohort (YYYY-MM), p_from, p_to (DATE), p_role, p_org, p_generation.
create or replace temp macro filtered_metrics_participants(p_program_id, p_cohort, p_from, p_to, p_role, p_org, p_generation) as table
select p.*
from metrics_participants p
where p.program_id = p_program_id
  and (p_org is null or p.org_id = p_org)
  and (p_generation is null or p.generation = p_generation)
  and (p_role is null or p.role = p_role)
  and (p_cohort is null or p.cohort_month = p_cohort)
  and (p_from is null or p.first_matched_at >= p_from)
  and (p_to is null or p.first_matched_at <= p_to)
