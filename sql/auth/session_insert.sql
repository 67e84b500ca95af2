-- Inserts one session. Parameters: $session_id, $secret_hash (hex), $user_id, $now and
-- $expires_at (epoch ms).
insert into sessions (session_id, secret_hash, user_id, created_at, last_seen_at, expires_at)
values ($session_id, $secret_hash, $user_id, epoch_ms($now), epoch_ms($now), epoch_ms($expires_at))
