-- One row per topic of a program. Staging: renames and casts only. No parameters.
create or replace temp view stg_topics as
select
  program_id::varchar as program_id,
  topic_id::varchar as topic_id,
  name::varchar as topic_name,
  category::varchar as topic_category
from topics
