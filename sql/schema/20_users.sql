-- One row per user account. role: 'admin' | 'hr' | 'rse' | 'sponsor'; org_id is null for admin
-- and the user's organization otherwise. Only an Argon2id hash of the password is stored.
-- No key constraint (see decision 0006): usernames are kept unique by the single-statement
-- insert in sql/auth/user_insert.sql.
create table if not exists users (
  user_id varchar not null,
  username varchar not null,        -- lowercase, unique
  display_name varchar,
  role varchar not null,
  org_id varchar,
  password_hash varchar not null,   -- PHC string, argon2id
  created_at timestamp not null,
  password_changed_at timestamp not null,
  disabled_at timestamp             -- null while the account is active
)
