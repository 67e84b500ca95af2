-- Updates the sector of the export's organizations that are already stored (the name cannot
-- change: validation refused that). A sector left empty keeps the stored one.
update organizations o
set sector = coalesce(t.sector, o.sector)
from ingest_typ_organizations t
where o.org_id = t.org_id
