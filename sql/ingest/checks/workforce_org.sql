-- One row per workforce row whose org_id is neither in the export's organizations nor stored.
select t.rec, 'org_id' as column_name, 'no organization with this org_id (in organizations or already stored)' as message, t.org_id as value, null as first_rec
from ingest_typ_workforce t
where t.org_id is not null
  and t.org_id not in (select org_id from ingest_typ_organizations where org_id is not null)
  and t.org_id not in (select org_id from organizations)
