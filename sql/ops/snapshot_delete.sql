-- Forgets one undo snapshot's record (its rows go first). Parameters: $id.
delete from ops_snapshots where snapshot_id = $id
