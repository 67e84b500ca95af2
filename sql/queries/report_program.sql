-- One row (none when the program does not exist): the program's identity, the report's
-- as_of date and the program's midpoint date.
-- Parameters: $program_id; $as_of (DATE, or null: the earlier of today and end_date).
select
  program_id,
  program_name as name,
  program_kind as kind,
  start_date,
  end_date,
  currency,
  coalesce($as_of::date, least(current_date, end_date)) as as_of,
  midpoint_date(start_date, end_date) as midpoint_date
from stg_programs
where program_id = $program_id
