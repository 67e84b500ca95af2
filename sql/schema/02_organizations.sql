-- One row per organization, shared by every program (added or updated by org_id, never removed
-- while a program uses it).
create table if not exists organizations (
  org_id varchar not null,
  name varchar not null,
  sector varchar
)
