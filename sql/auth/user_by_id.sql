-- One row per user with that id (zero or one). Parameters: $user_id.
select user_id, username, display_name, role, org_id, password_hash, epoch_ms(disabled_at) as disabled_at_ms
from users
where user_id = $user_id
