-- Inserts the export's workforce (one row per employee of the eligible population).
insert into workforce (program_id, person_id, org_id, birth_year, hire_date, job_level, gender, left_at, leave_reason, promoted_at, observed_until)
select program_id, person_id, org_id, birth_year, hire_date, job_level, gender, left_at, leave_reason, promoted_at, observed_until
from ingest_typ_workforce
