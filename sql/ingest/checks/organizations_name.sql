-- One row per organization whose org_id is stored under another name: two platforms' `ORG1`
-- must not merge two companies.
select t.rec, 'name' as column_name, 'org_id ' || t.org_id || ' is stored with the name ' || to_json(o.name)::varchar || '; an org_id keeps its name' as message, t.name as value, null as first_rec
from ingest_typ_organizations t
join organizations o on o.org_id = t.org_id
where t.name is not null and o.name <> t.name
