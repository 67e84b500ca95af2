-- Renames one organization id in ops_snapshot_workforce (migration of decision 0014); returns one
-- row per row changed. Parameters: $old_org_id, $new_org_id.
update ops_snapshot_workforce set org_id = $new_org_id where org_id = $old_org_id returning 1 as changed
