-- Splits one trimmed `|`-separated export value into a list of trimmed, non-empty strings;
-- NULL when nothing is left.
create or replace temp macro ingest_list(s) as (
  nullif(list_filter(list_transform(string_split(s, '|'), e -> trim(e)), e -> e <> ''), [])
)
