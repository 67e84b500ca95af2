-- One row per stored program: its retention period (its own, else the default) and the day
-- after which it may be purged. Parameters: $default_months, $today (date).
select
  p.program_id,
  p.name,
  p.end_date,
  coalesce(r.retention_months, $default_months::integer) as retention_months,
  r.retention_months is not null as is_custom,
  (p.end_date + to_months(coalesce(r.retention_months, $default_months::integer)))::date as purge_after,
  (p.end_date + to_months(coalesce(r.retention_months, $default_months::integer)))::date < $today::date as is_due
from programs p
left join program_retention r using (program_id)
order by purge_after, p.program_id
