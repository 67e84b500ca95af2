-- One row: the organizations stored, and how many of the export's would be added. No parameters.
select (select count(*) from organizations) as before,
       (select count(distinct t.org_id) from ingest_typ_organizations t anti join organizations o on o.org_id = t.org_id where t.org_id is not null) as added
