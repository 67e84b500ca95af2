-- Table macro: one row per cost line of one program (every column of stg_costs) that passes
-- the dashboards' cost filters: paid by organization p_org, spent within [p_from, p_to]. A null
-- filter keeps every line. The one definition of "the filtered cost lines" for the costs page
-- (cohort, generation and role do not apply: cost lines are not attributed to people).
-- Parameters: p_program_id, p_org (VARCHAR), p_from, p_to (DATE).
create or replace temp macro filtered_cost_lines(p_program_id, p_org, p_from, p_to) as table
select c.*
from stg_costs c
where c.program_id = p_program_id
  and (p_org is null or c.org_id = p_org)
  and (p_from is null or c.spent_on >= p_from)
  and (p_to is null or c.spent_on <= p_to)
