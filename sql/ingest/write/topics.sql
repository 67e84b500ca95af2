-- Inserts the export's topics (one row per topic of a program).
insert into topics (program_id, topic_id, name, category)
select program_id, topic_id, name, category
from ingest_typ_topics
