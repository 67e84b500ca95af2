-- Inserts the export's pair topics (one row per topic of a pair) when the export holds one
-- program, $program_id.
insert into pair_topics (program_id, pair_id, topic_id, targeted_at, acquired_at, rating)
select $program_id, pair_id, topic_id, targeted_at, acquired_at, rating
from ingest_typ_pair_topics
