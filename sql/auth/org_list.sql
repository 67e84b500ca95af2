-- One row per organization (id and name), for choosing a user's organization. No parameters.
select org_id, any_value(name) as name
from organizations
group by org_id
order by name, org_id
