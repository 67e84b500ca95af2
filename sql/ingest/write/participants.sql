-- Inserts the export's participants (one row per participant).
insert into participants (program_id, participant_id, org_id, role, birth_year, gender, job_level, city, languages, topics, joined_at, trained_at)
select program_id, participant_id, org_id, role, birth_year, gender, job_level, city, languages, topics, joined_at, trained_at
from ingest_typ_participants
