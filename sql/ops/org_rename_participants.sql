-- Renames one organization id in participants (migration of decision 0014); returns one row per row
-- changed. Parameters: $old_org_id, $new_org_id.
update participants set org_id = $new_org_id where org_id = $old_org_id returning 1 as changed
