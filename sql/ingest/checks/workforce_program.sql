-- One row per workforce row whose program_id is not a program of the export.
-- Reads the temp tables ingest_typ_workforce, ingest_typ_programs; no parameters.
select t.rec, 'program_id' as column_name, 'no program with this program_id in programs' as message, t.program_id as value, null as first_rec
from ingest_typ_workforce t
where t.program_id is not null
  and t.program_id not in (select program_id from ingest_typ_programs where program_id is not null)
