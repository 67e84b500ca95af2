-- One row: the organizations stored. No parameters.
select count(*) as n from organizations
