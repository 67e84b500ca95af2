-- Inserts the export's organizations that are not stored yet (one row per organization; when an
-- org_id appears more than once in the export, its first record).
insert into organizations (org_id, name, sector)
select t.org_id, t.name, t.sector
from (select * from ingest_typ_organizations qualify row_number() over (partition by org_id order by rec) = 1) t
anti join organizations o on o.org_id = t.org_id
order by t.rec
