-- One row per program whose previous_program_id (the previous edition) is itself, is neither
-- a program of the export nor one already imported, or does not start before it.
with known as (
  select program_id, start_date from ingest_typ_programs where program_id is not null
  union all
  select program_id, start_date from programs
  where program_id not in (select program_id from ingest_typ_programs where program_id is not null)
)
select t.rec, 'previous_program_id' as column_name,
  case
    when t.previous_program_id = t.program_id then 'a program cannot be its own previous edition'
    when k.program_id is null then 'no program with this program_id in the export or the database (import the previous edition first)'
    else 'the previous edition must start before this program (it starts ' || strftime(k.start_date, '%Y-%m-%d') || ')'
  end as message,
  t.previous_program_id as value, null as first_rec
from ingest_typ_programs t
left join (select program_id, min(start_date) as start_date from known group by program_id) k on k.program_id = t.previous_program_id
where t.previous_program_id is not null
  and (t.previous_program_id = t.program_id or k.program_id is null or (t.start_date is not null and k.start_date >= t.start_date))
