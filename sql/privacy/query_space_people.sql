-- One row per participant of a program, with what the dashboards' filters can select them by:
-- organization, generation, role and the month of their first match (null: never matched);
-- and the gender key, for the report's gender breakdown (analytics/privacy/consistent.server.ts).
-- The input of the query-space control (analytics/privacy/query-space.ts). Reads the marts.
-- Parameters: $program_id.
select
  participant_id as id,
  org_id as org,
  generation as gen,
  role,
  cohort_month as month,
  gender_key as gender
from metrics_participants
where program_id = $program_id
order by participant_id
