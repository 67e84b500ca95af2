-- Deletes every session of one user (disabled account, password change). Parameters: $user_id.
delete from sessions where user_id = $user_id
