-- One row per inconsistent date of a pair: ended_at or reverse_since before matched_at, or an
-- ended_at on a pair still active. Whether a problem exists is decided on the typed values only:
-- `<col>__raw` is NULL on the first (fast) staging and serves only to quote the value.
select rec, 'ended_at' as column_name, 'before matched_at ' || strftime(matched_at, '%Y-%m-%d') as message, ended_at__raw as value, null as first_rec
from ingest_typ_pairs where ended_at < matched_at
union all
select rec, 'ended_at', 'a pair with status active has no ended_at', coalesce(ended_at__raw, strftime(ended_at, '%Y-%m-%d')), null
from ingest_typ_pairs where status = 'active' and ended_at is not null
union all
select rec, 'reverse_since', 'before matched_at ' || strftime(matched_at, '%Y-%m-%d'), reverse_since__raw, null
from ingest_typ_pairs where reverse_since < matched_at
