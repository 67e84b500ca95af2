-- One row (none when the program does not exist): a program's identity as the report, every
-- dashboard page and the simulations show it (analytics/domain/program.ts, ProgramIdentity),
-- and the as_of date its figures are computed at. Reads the table itself, not stg_programs,
-- with the staging casts: the header and the simulations run it on connections without the
-- metric views.
-- Parameters: $program_id; $as_of (DATE, or null: the earlier of today and end_date).
select
  program_id::varchar as program_id,
  name::varchar as name,
  kind::varchar as kind,
  start_date::date as start_date,
  end_date::date as end_date,
  upper(currency)::varchar as currency,
  coalesce($as_of::date, least(current_date, end_date::date)) as as_of
from programs
where program_id = $program_id
