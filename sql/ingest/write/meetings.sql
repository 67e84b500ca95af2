-- Inserts the export's meetings (one row per meeting), with the program of their pair.
insert into meetings (program_id, meeting_id, pair_id, date, mode, duration_minutes)
select p.program_id, t.meeting_id, t.pair_id, t.date, t.mode, t.duration_minutes
from ingest_typ_meetings t
join ingest_typ_pairs p on p.pair_id = t.pair_id
