-- Inserts the export's pair topics (one row per topic of a pair), with the program of their pair.
insert into pair_topics (program_id, pair_id, topic_id, targeted_at, acquired_at, rating)
select p.program_id, t.pair_id, t.topic_id, t.targeted_at, t.acquired_at, t.rating
from ingest_typ_pair_topics t
join ingest_typ_pairs p on p.pair_id = t.pair_id
