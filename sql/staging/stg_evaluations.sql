-- One row per evaluation answer (one respondent, one phase) of a pair. Staging: renames and
-- casts only; the free-text comment is left out (no figure uses it). No parameters.
create or replace temp view stg_evaluations as
select
  program_id::varchar as program_id,
  pair_id::varchar as pair_id,
  respondent::varchar as respondent_role,
  phase::varchar as phase,
  submitted_at::date as submitted_at,
  satisfaction::integer as satisfaction,
  chemistry::integer as chemistry,
  would_continue::boolean as would_continue
from evaluations
