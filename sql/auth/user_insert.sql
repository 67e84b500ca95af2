-- Inserts one user unless the username is taken; returns one row (the new user_id) or none.
-- Parameters: $user_id, $username, $display_name, $role, $org_id, $password_hash, $now (epoch ms).
insert into users (user_id, username, display_name, role, org_id, password_hash, created_at, password_changed_at, disabled_at)
select $user_id, $username, $display_name, $role, $org_id, $password_hash, epoch_ms($now), epoch_ms($now), null
where not exists (select 1 from users where username = $username)
returning user_id
