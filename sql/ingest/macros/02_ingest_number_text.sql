-- Normalises one trimmed export number to DuckDB syntax: `1 234,50` (thousands by space, U+00A0
-- or U+202F; decimal mark `.` or `,`) becomes `1234.50`. NULL when it is not a number.
create or replace temp macro ingest_number_text(s) as (
  case
    when regexp_full_match(s, '[+-]?(?:\d{1,3}(?:[ \x{00A0}\x{202F}]\d{3})+|\d+)(?:[.,]\d+)?')
      then replace(regexp_replace(s, '[ \x{00A0}\x{202F}]', '', 'g'), ',', '.')
  end
)
