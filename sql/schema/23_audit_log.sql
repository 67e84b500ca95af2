-- One row per audited action: someone viewed individual-level data or downloaded an export.
create table if not exists audit_log (
  logged_at timestamp not null,
  user_id varchar not null,
  role varchar not null,
  org_id varchar,
  action varchar not null,          -- e.g. 'view_individuals', 'download_export'
  program_id varchar,
  details json                      -- what was viewed or downloaded (filters, format, row count)
)
