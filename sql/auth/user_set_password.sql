-- Replaces one user's password hash; returns one row (the user_id) when found.
-- Parameters: $user_id, $password_hash, $now (epoch ms).
update users
set password_hash = $password_hash, password_changed_at = epoch_ms($now)
where user_id = $user_id
returning user_id
