-- Inserts the export's costs (one row per cost line).
insert into costs (program_id, org_id, date, category, amount, currency)
select program_id, org_id, date, category, amount, currency
from ingest_typ_costs
