-- Ties an undo snapshot to the import it preceded. Parameters: $id, $import.
update ops_snapshots set import_id = $import where snapshot_id = $id
