-- One row per pair of a program, with what the dashboards' filters can select it by: the
-- intake month (matched_at), and the organization and generation of each side. The input of
-- the query-space control (analytics/privacy/query-space.ts). Reads the metrics marts.
-- Parameters: $program_id.
select
  mentor_id,
  mentee_id,
  cohort_month as month,
  mentor_org_id as mentor_org,
  mentee_org_id as mentee_org,
  mentor_generation as mentor_gen,
  mentee_generation as mentee_gen
from metrics_pairs
where program_id = $program_id
order by pair_id
