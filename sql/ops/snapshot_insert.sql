-- Records one snapshot. Parameters: $id, $program_id, $reason, $had, $import_id, $counts (JSON).
insert into ops_snapshots (snapshot_id, program_id, taken_at, reason, had_program, import_id, row_counts)
values ($id, $program_id, current_timestamp::timestamp, $reason, $had, $import_id, $counts)
