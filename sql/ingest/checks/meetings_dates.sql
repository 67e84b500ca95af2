-- One row per meeting dated before its pair's matched_at.
select t.rec, 'date' as column_name, 'before the pair''s matched_at ' || strftime(p.matched_at, '%Y-%m-%d') as message, t.date__raw as value, null as first_rec
from ingest_typ_meetings t
join ingest_typ_pairs p on p.pair_id = t.pair_id
where t.date < p.matched_at
