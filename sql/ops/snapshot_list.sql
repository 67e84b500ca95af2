-- One row per undo snapshot, newest first.
select snapshot_id, program_id, taken_at, reason, had_program, import_id
from ops_snapshots
order by snapshot_id desc
