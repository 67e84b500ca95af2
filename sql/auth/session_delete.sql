-- Deletes one session (sign-out, expiry). Parameters: $session_id.
delete from sessions where session_id = $session_id
