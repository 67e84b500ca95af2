-- One row per pair topic whose pair_id is not a pair of the export.
select t.rec, 'pair_id' as column_name, 'no pair with this pair_id in pairs' as message, t.pair_id as value, null as first_rec
from ingest_typ_pair_topics t
anti join ingest_typ_pairs p on p.pair_id = t.pair_id
where t.pair_id is not null
