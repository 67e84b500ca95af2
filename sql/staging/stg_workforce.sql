-- One row per employee of a program's eligible population (issue 13). Staging: renames and
-- casts only. No parameters.
create or replace temp view stg_workforce as
select
  program_id::varchar as program_id,
  person_id::varchar as person_id,
  org_id::varchar as org_id,
  birth_year::integer as birth_year,
  hire_date::date as hire_date,
  job_level::integer as job_level,
  gender::varchar as gender,
  left_at::date as left_at,
  leave_reason::varchar as leave_reason,
  promoted_at::date as promoted_at,
  observed_until::date as observed_until
from workforce
