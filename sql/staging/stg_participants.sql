-- One row per participant of a program (ids scoped by program_id). Staging: renames and
-- casts only. No parameters.
create or replace temp view stg_participants as
select
  program_id::varchar as program_id,
  participant_id::varchar as participant_id,
  org_id::varchar as org_id,
  role::varchar as role,
  birth_year::integer as birth_year,
  gender::varchar as gender,
  job_level::integer as job_level,
  city::varchar as city,
  joined_at::date as joined_at,
  trained_at::date as trained_at
from participants
