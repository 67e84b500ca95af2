-- One row per signed-in session (Lucia's design: the browser holds "<session_id>.<secret>",
-- the database only the SHA-256 of the secret). A session ends at expires_at (absolute
-- lifetime) or when last_seen_at is older than the inactivity timeout.
create table if not exists sessions (
  session_id varchar not null,
  secret_hash varchar not null,     -- hex SHA-256 of the secret
  user_id varchar not null,
  created_at timestamp not null,
  last_seen_at timestamp not null,
  expires_at timestamp not null
)
