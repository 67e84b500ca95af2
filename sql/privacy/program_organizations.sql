-- One row per organization with participants in a program: the readers the intruder audit
-- takes the view of. Parameters: $program_id.
select distinct org_id from participants where program_id = $program_id order by org_id
