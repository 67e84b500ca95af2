-- One row per pair of a program (ids scoped by program_id). Staging: renames and casts only.
-- No parameters.
create or replace temp view stg_pairs as
select
  program_id::varchar as program_id,
  pair_id::varchar as pair_id,
  mentor_id::varchar as mentor_id,
  mentee_id::varchar as mentee_id,
  matched_at::date as matched_at,
  ended_at::date as ended_at,
  status::varchar as status,
  end_reason::varchar as end_reason,
  match_score::double as match_score,
  reverse_since::date as reverse_since
from pairs
