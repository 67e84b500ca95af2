-- One row per meeting of a pair. Staging: renames and casts only. No parameters.
create or replace temp view stg_meetings as
select
  program_id::varchar as program_id,
  meeting_id::varchar as meeting_id,
  pair_id::varchar as pair_id,
  "date"::date as met_on,
  mode::varchar as mode,
  duration_minutes::integer as duration_minutes
from meetings
