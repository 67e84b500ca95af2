-- Records activity on one session (sliding inactivity timeout). Parameters: $session_id, $now (epoch ms).
update sessions set last_seen_at = epoch_ms($now) where session_id = $session_id
