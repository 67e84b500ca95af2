-- Inserts the export's programs (one row per program) from the validated temp table.
insert into programs (program_id, name, kind, start_date, end_date, currency)
select program_id, name, kind, start_date, end_date, currency
from ingest_typ_programs
order by rec
