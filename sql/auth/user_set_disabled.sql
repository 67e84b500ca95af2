-- Disables ($disabled = true) or re-enables one user; returns one row (the user_id) when found.
-- Parameters: $username, $disabled, $now (epoch ms).
update users
set disabled_at = case when $disabled then coalesce(disabled_at, epoch_ms($now)) else null end
where username = $username
returning user_id
