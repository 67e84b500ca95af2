-- Inserts the export's programs (one row per program) from the validated temp table.
insert into programs (program_id, name, kind, start_date, end_date, currency, previous_program_id)
select program_id, name, kind, start_date, end_date, currency, previous_program_id
from ingest_typ_programs
order by rec
