-- Parses one trimmed export value as a whole number (`1980`, `1 980`, `4,0`). NULL otherwise.
create or replace temp macro ingest_integer(s) as (
  case
    when regexp_full_match(s, '[+-]?\d{1,9}') then s::integer
    when regexp_full_match(ingest_number_text(s), '[+-]?\d{1,9}(?:\.0+)?') then split_part(ingest_number_text(s), '.', 1)::integer
  end
)
