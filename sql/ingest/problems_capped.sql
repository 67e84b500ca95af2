-- One row per problem found, at most $cap per table and file, in record order, with the file's
-- total (n). Parameters: $cap.
select tbl, part, rec, column_name, message, value, first_rec, n
from (
  select *, row_number() over (partition by tbl, part order by rec, seq, value) as k, count(*) over (partition by tbl, part) as n
  from ingest_problems
)
where k <= $cap
order by tbl, rec, seq, value
