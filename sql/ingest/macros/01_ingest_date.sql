-- Parses one trimmed export value as a date: ISO `2025-03-01` or day-first French `01/03/2025`
-- (never month first), a time part after the date accepted and dropped. NULL when it is not a date.
create or replace temp macro ingest_date(s) as (
  coalesce(
    try_cast(nullif(regexp_extract(s, '^(\d{4}-\d{1,2}-\d{1,2})(?:[T ]\d{1,2}[:h]\d{2}(?::\d{2}(?:[.,]\d+)?)?(?: ?(?:Z|[+-]\d{2}(?::?\d{2})?))?)?$', 1), '') as date),
    try_strptime(nullif(regexp_extract(s, '^(\d{1,2}/\d{1,2}/\d{4})(?:[T ]\d{1,2}[:h]\d{2}(?::\d{2}(?:[.,]\d+)?)?)?$', 1), ''), '%d/%m/%Y')::date
  )
)
