-- One row per undo snapshot of a program beyond the newest $keep (to drop). Parameters:
-- $program_id, $keep.
select snapshot_id from ops_snapshots where program_id = $program_id order by snapshot_id desc offset $keep
