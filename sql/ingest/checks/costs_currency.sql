-- One row per cost whose currency differs from its program's.
select t.rec, 'currency' as column_name, 'differs from the program''s currency ' || p.currency as message, t.currency__raw as value, null as first_rec
from ingest_typ_costs t
join ingest_typ_programs p on p.program_id = t.program_id
where t.currency is not null and p.currency is not null and t.currency <> p.currency
