-- One row per program. Staging: renames and casts only. No parameters.
create or replace temp view stg_programs as
select
  program_id::varchar as program_id,
  name::varchar as program_name,
  kind::varchar as program_kind,
  start_date::date as start_date,
  end_date::date as end_date,
  upper(currency)::varchar as currency
from programs
