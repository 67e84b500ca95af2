-- One row per pair topic whose topic_id is not a topic of the pair's program.
select t.rec, 'topic_id' as column_name, 'no topic with this topic_id in the pair''s program' as message, t.topic_id as value, null as first_rec
from ingest_typ_pair_topics t
join ingest_typ_pairs p on p.pair_id = t.pair_id
anti join ingest_typ_topics k on k.program_id = p.program_id and k.topic_id = t.topic_id
where t.topic_id is not null
