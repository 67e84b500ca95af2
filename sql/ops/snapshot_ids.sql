-- One row per undo snapshot of a program. Parameters: $program_id.
select snapshot_id from ops_snapshots where program_id = $program_id
