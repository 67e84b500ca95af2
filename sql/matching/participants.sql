-- One row per participant of a program, mentors first, in participant_id order (a stable order:
-- the simulations' results depend on it).
-- Parameters: $program_id.
select
  participant_id,
  role,
  org_id,
  birth_year,
  job_level,
  city,
  coalesce(languages, []::varchar[]) as languages,
  coalesce(topics, []::varchar[]) as topics
from participants
where program_id = $program_id
order by role = 'mentee', participant_id
