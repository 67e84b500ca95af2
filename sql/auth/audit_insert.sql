-- Appends one audit entry. Parameters: $now (epoch ms), $user_id, $role, $org_id, $action,
-- $program_id (may be null), $details (JSON text).
insert into audit_log (logged_at, user_id, role, org_id, action, program_id, details)
values (epoch_ms($now), $user_id, $role, $org_id, $action, $program_id, $details::json)
