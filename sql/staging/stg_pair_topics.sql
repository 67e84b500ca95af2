-- One row per topic targeted by a pair. Staging: renames and casts only. No parameters.
create or replace temp view stg_pair_topics as
select
  program_id::varchar as program_id,
  pair_id::varchar as pair_id,
  topic_id::varchar as topic_id,
  targeted_at::date as targeted_at,
  acquired_at::date as acquired_at,
  rating::integer as rating
from pair_topics
