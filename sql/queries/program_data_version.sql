-- One row: what identifies the current state of a program's data, so the materialized marts
-- know when to refresh. Every import logs itself in `imports`, so the last successful import
-- that touched the program identifies its data; the program row and its participant and pair
-- counts also catch the plainest writes made outside an import (deleting a program or
-- people). Other direct writes must call invalidateMetricMarts.
-- Parameters: $program_id.
select
  (select max(import_id) from imports
    where status = 'succeeded' and list_contains(program_ids, $program_id)) as last_import_id,
  (select string_agg(name || '/' || start_date || '/' || end_date || '/' || currency, ',')
    from programs where program_id = $program_id) as program_row,
  (select count(*) from participants where program_id = $program_id) as participants,
  (select count(*) from pairs where program_id = $program_id) as pairs
