-- One row: the id of the next undo snapshot. No parameters.
select coalesce(max(snapshot_id), 0) + 1 as id from ops_snapshots
