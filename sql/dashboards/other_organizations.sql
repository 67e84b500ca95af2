-- One row: how many organizations of a program other than the reader's take part in it (have
-- participants) or pay for it (cost lines). When it is exactly one, "other organizations" is one
-- named company and program-wide money minus the reader's gives it exactly (docs/privacy.md).
-- Parameters: $program_id, $org_id (the reader's organization).
select count(distinct org_id) as other_organizations
from (
  select org_id from participants where program_id = $program_id
  union
  select org_id from costs where program_id = $program_id and org_id is not null
)
where org_id <> $org_id::varchar
