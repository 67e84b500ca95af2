-- One row per inconsistent date of a workforce row, against its program's start (the
-- population is the one employed on that day) and the extract's observed_until: hire_date
-- after the start; observed_until before it; left_at before the start or after
-- observed_until; promoted_at before the start or after left_at / observed_until. Decided on
-- the typed values only (`<col>__raw` serves only to quote the value). Reads
-- ingest_typ_workforce, ingest_typ_programs; no parameters.
with w as (
  select t.*, p.start_date
  from ingest_typ_workforce t
  join (select program_id, min(start_date) as start_date from ingest_typ_programs where program_id is not null group by all) p
    on p.program_id = t.program_id
)
select rec, 'hire_date' as column_name, 'after the program''s start ' || strftime(start_date, '%Y-%m-%d') || ' (the workforce is the people employed on that day)' as message, hire_date__raw as value, null as first_rec
from w where hire_date > start_date
union all
select rec, 'left_at', 'before the program''s start ' || strftime(start_date, '%Y-%m-%d'), left_at__raw, null
from w where left_at < start_date
union all
select rec, 'left_at', 'after observed_until ' || strftime(observed_until, '%Y-%m-%d'), left_at__raw, null
from w where left_at > observed_until
union all
select rec, 'promoted_at', 'before the program''s start ' || strftime(start_date, '%Y-%m-%d') || ' (the first promotion on or after the start)', promoted_at__raw, null
from w where promoted_at < start_date
union all
select rec, 'promoted_at', 'after ' || case when left_at is not null and left_at < observed_until then 'left_at ' || strftime(left_at, '%Y-%m-%d') else 'observed_until ' || strftime(observed_until, '%Y-%m-%d') end, promoted_at__raw, null
from w where promoted_at > least(observed_until, coalesce(left_at, observed_until))
union all
select rec, 'observed_until', 'before the program''s start ' || strftime(start_date, '%Y-%m-%d'), observed_until__raw, null
from w where observed_until < start_date
