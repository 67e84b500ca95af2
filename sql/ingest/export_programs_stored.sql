-- One row per program of the export that the database already holds (an import replaces it).
-- No parameters.
select program_id from programs where program_id in (select program_id from ingest_typ_programs)
