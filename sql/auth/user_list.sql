-- One row per user account, without its password hash, with its count of live sessions.
-- Parameters: $now (epoch ms), $idle_ms (inactivity timeout in ms).
with live_sessions as (
  select user_id, count(*) as sessions
  from sessions
  where expires_at > epoch_ms($now) and last_seen_at > epoch_ms($now - $idle_ms)
  group by user_id
)
select
  u.user_id,
  u.username,
  u.display_name,
  u.role,
  u.org_id,
  o.name as org_name,
  strftime(u.created_at, '%Y-%m-%dT%H:%M:%SZ') as created_at,
  strftime(u.disabled_at, '%Y-%m-%dT%H:%M:%SZ') as disabled_at,
  coalesce(ls.sessions, 0) as sessions
from users as u
left join live_sessions as ls using (user_id)
left join (select org_id, any_value(name) as name from organizations group by org_id) as o using (org_id)
order by u.username
