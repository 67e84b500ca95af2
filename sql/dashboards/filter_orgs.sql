-- One row per organization with participants in the program, by name: the organization
-- filter's choices. Parameters: $program_id, $only_org_id (a sponsor sees only its own
-- organization; null = all).
select distinct p.org_id, coalesce(o.name, p.org_id) as name
from participants p
left join organizations o on o.org_id = p.org_id
where p.program_id = $program_id
  and ($only_org_id is null or p.org_id = $only_org_id)
order by name, p.org_id
