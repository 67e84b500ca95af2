-- One row per program that ends before it starts.
select rec, 'end_date' as column_name, 'before start_date ' || strftime(start_date, '%Y-%m-%d') as message, end_date__raw as value, null as first_rec
from ingest_typ_programs
where end_date < start_date
