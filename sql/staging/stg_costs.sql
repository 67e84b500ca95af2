-- One row per cost line of a program. Staging: renames and casts only. No parameters.
create or replace temp view stg_costs as
select
  program_id::varchar as program_id,
  org_id::varchar as org_id,
  "date"::date as spent_on,
  category::varchar as cost_category,
  amount::decimal(18, 2) as amount,
  upper(currency)::varchar as currency
from costs
