-- One row: whether an organization with that id exists. Parameters: $org_id.
select exists (select 1 from organizations where org_id = $org_id) as found
