-- One row per organization with participants in the program, by name: the organization
-- filter's choices. Parameters: $program_id, $own_org_only (boolean: a sponsor sees only its
-- own organization), $org_id (that organization; null matches none).
select distinct p.org_id, coalesce(o.name, p.org_id) as name
from participants p
left join organizations o on o.org_id = p.org_id
where p.program_id = $program_id
  and (not $own_org_only or p.org_id = $org_id::varchar)
order by name, p.org_id
