-- The problems the checks find, per table ($tbl: its index in the spec), file (part) and record.
-- No parameters.
create or replace temp table ingest_problems (
  tbl integer, part integer, rec bigint, seq integer, column_name varchar, message varchar, value varchar, first_rec bigint)
