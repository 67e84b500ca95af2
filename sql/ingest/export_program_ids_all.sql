-- One row per distinct program id of the export's staged programs (a missing id included, as
-- null: then the export is not of one program). No parameters.
select distinct program_id from ingest_typ_programs
