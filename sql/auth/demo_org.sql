-- One row (or none): the organization with the most participants in the program, ties by id.
-- Parameters: $program_id.
select org_id, count(*) as participants
from participants
where program_id = $program_id
group by org_id
order by participants desc, org_id
limit 1
