-- One row: the program being simulated (or none when it does not exist).
-- Parameters: $program_id.
select
  program_id,
  name,
  kind,
  strftime(start_date, '%Y-%m-%d') as start_date,
  strftime(end_date, '%Y-%m-%d') as end_date
from programs
where program_id = $program_id
