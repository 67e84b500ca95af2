-- Inserts the export's organizations that are not stored yet (one row per organization).
insert into organizations (org_id, name, sector)
select t.org_id, t.name, t.sector
from ingest_typ_organizations t
anti join organizations o on o.org_id = t.org_id
order by t.rec
