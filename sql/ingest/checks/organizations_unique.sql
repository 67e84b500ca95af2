-- One row per organization whose org_id repeats an earlier record of the export with another
-- name. (The same organization may appear twice, e.g. in the exports of two folders.)
with firsts as (
  select org_id, min(rec) as first_rec
  from ingest_typ_organizations
  where org_id is not null
  group by all
  having count(distinct name) > 1
)
select t.rec, 'org_id' as column_name, 'duplicate with another name, first on {first}' as message, t.org_id as value, f.first_rec
from ingest_typ_organizations t
join firsts f on f.org_id = t.org_id
join ingest_typ_organizations first on first.rec = f.first_rec
where t.rec > f.first_rec and t.name is distinct from first.name
