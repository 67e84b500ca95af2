-- One row per session with that id (zero or one) with its user and the name of the user's
-- organization (null for an operator, or an organization no import has named yet).
-- Parameters: $session_id.
select
  s.session_id,
  s.secret_hash,
  epoch_ms(s.created_at) as created_at_ms,
  epoch_ms(s.last_seen_at) as last_seen_at_ms,
  epoch_ms(s.expires_at) as expires_at_ms,
  u.user_id,
  u.username,
  u.display_name,
  u.role,
  u.org_id,
  (select any_value(o.name) from organizations as o where o.org_id = u.org_id) as org_name,
  epoch_ms(u.disabled_at) as disabled_at_ms
from sessions as s
join users as u using (user_id)
where s.session_id = $session_id
