-- One row per pair topic acquired before its pair's matched_at.
select t.rec, 'acquired_at' as column_name, 'before the pair''s matched_at ' || strftime(p.matched_at, '%Y-%m-%d') as message, t.acquired_at__raw as value, null as first_rec
from ingest_typ_pair_topics t
join ingest_typ_pairs p on p.pair_id = t.pair_id
where t.acquired_at < p.matched_at
