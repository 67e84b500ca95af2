-- One row per (participant, topic_id) where the topic_id is not a topic of the participant's program.
with wanted as (
  select t.rec, t.program_id, unnest(t.topics) as topic_id
  from ingest_typ_participants t
  where t.topics is not null and t.program_id is not null
)
select w.rec, 'topics' as column_name, 'no topic with this topic_id in the program' as message, w.topic_id as value, null as first_rec
from wanted w
anti join ingest_typ_topics k on k.program_id = w.program_id and k.topic_id = w.topic_id
