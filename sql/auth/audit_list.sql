-- One row per audit entry, newest first, at most $limit rows. Parameters: $limit.
select
  strftime(a.logged_at, '%Y-%m-%dT%H:%M:%S.%gZ') as logged_at,
  a.user_id,
  u.username,
  a.role,
  a.org_id,
  a.action,
  a.program_id,
  a.details::varchar as details
from audit_log as a
left join users as u using (user_id)
order by a.logged_at desc
limit $limit
