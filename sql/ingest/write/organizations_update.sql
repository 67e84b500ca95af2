-- Updates the sector of the export's organizations that are already stored (the name cannot
-- change: validation refused that). A sector left empty keeps the stored one. When an org_id
-- appears more than once in the export, its first record wins.
update organizations o
set sector = coalesce(t.sector, o.sector)
from (select * from ingest_typ_organizations qualify row_number() over (partition by org_id order by rec) = 1) t
where o.org_id = t.org_id
