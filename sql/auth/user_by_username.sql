-- One row per user with that username (zero or one). Parameters: $username.
select user_id, username, display_name, role, org_id, password_hash, epoch_ms(disabled_at) as disabled_at_ms
from users
where username = $username
