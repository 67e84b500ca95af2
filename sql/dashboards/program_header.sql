-- One row: the program a dashboard page is about (name, kind, dates, currency, as_of = the
-- earlier of today and end_date, as in the report). Parameters: $program_id.
select
  program_id,
  name,
  kind,
  strftime(start_date, '%Y-%m-%d') as start_date,
  strftime(end_date, '%Y-%m-%d') as end_date,
  currency,
  strftime(least(current_date, end_date), '%Y-%m-%d') as as_of
from programs
where program_id = $program_id
