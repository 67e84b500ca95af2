-- One row per program of the export being imported (its staged programs), in order. No parameters.
select distinct program_id from ingest_typ_programs where program_id is not null order by 1
