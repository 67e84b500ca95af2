-- One row per organization (shared by every program). Staging: renames and casts only.
-- No parameters.
create or replace temp view stg_organizations as
select
  org_id::varchar as org_id,
  name::varchar as org_name,
  sector::varchar as sector
from organizations
