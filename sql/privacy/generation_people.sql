-- One row per participant of a program with what the generations page's tables group them
-- by: role, organization, generation, 5-year age band and octave at the program's start, and whether the
-- age is outside the 30–50 core. The input of the consistent hiding of those tables
-- (analytics/privacy/consistent.server.ts). Reads the marts. Parameters: $program_id.
select
  participant_id as id,
  role,
  org_id as org,
  generation as gen,
  (5 * (age_at_start_years // 5))::integer as band,
  case when not is_outside_core then 'core' when age_at_start_years < 30 then 'low' else 'high' end as octave,
  is_outside_core as outside_core
from metrics_participants
where program_id = $program_id
order by participant_id
