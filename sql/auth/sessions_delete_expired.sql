-- Deletes every session past its absolute lifetime or its inactivity timeout.
-- Parameters: $now (epoch ms), $idle_ms (inactivity timeout in ms).
delete from sessions
where expires_at <= epoch_ms($now) or last_seen_at <= epoch_ms($now - $idle_ms)
