-- Inserts the export's meetings (one row per meeting) when the export holds one program,
-- $program_id: every pair belongs to it, so no join to the pairs is needed.
insert into meetings (program_id, meeting_id, pair_id, date, mode, duration_minutes)
select $program_id, meeting_id, pair_id, date, mode, duration_minutes
from ingest_typ_meetings
