-- One row per organization id stored anywhere (organizations, participants, costs, users and
-- the undo snapshots of participants and costs; the workforce and its snapshots), with whether it follows the identifier rule.
-- Used by the migration that renames the ids that do not (decision 0014).
-- Parameters: $pattern (the rule, a regular expression matched in full).
select org_id, regexp_full_match(org_id, $pattern::varchar) as valid
from (
  select org_id from organizations
  union select org_id from participants
  union select org_id from costs
  union select org_id from users
  union select org_id from ops_snapshot_participants
  union select org_id from ops_snapshot_costs
  union select org_id from workforce
  union select org_id from ops_snapshot_workforce
)
where org_id is not null
order by org_id
