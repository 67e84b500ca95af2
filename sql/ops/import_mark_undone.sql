-- Marks an import as undone (its program went back to the snapshot taken before it), so that the
-- identical-import check no longer treats its files as the stored state. Parameters: $import_id.
update imports set status = 'undone', message = coalesce(message || '; ', '') || 'undone at ' || current_timestamp::timestamp::varchar
where import_id = $import_id and status = 'succeeded'
