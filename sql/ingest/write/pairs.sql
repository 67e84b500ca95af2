-- Inserts the export's pairs (one row per pair).
insert into pairs (program_id, pair_id, mentor_id, mentee_id, matched_at, ended_at, status, end_reason, match_score, reverse_since)
select program_id, pair_id, mentor_id, mentee_id, matched_at, ended_at, status, end_reason, match_score, reverse_since
from ingest_typ_pairs
