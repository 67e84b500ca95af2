-- One row per meeting whose meeting_id repeats an earlier meeting of the same program.
-- Ids repeated anywhere in the export are found first (no join), so the usual export with
-- unique ids never joins its million meetings to their pairs here.
with repeated_anywhere as (
  select meeting_id
  from ingest_typ_meetings
  where meeting_id is not null
  group by all
  having count(*) > 1
),
m as (
  select t.rec, t.meeting_id, p.program_id
  from ingest_typ_meetings t
  semi join repeated_anywhere r on r.meeting_id = t.meeting_id
  join ingest_typ_pairs p on p.pair_id = t.pair_id
),
repeated as (
  select program_id, meeting_id, min(rec) as first_rec
  from m
  group by all
  having count(*) > 1
)
select m.rec, 'meeting_id' as column_name, 'duplicate in the same program, first on {first}' as message, m.meeting_id as value, r.first_rec
from m
join repeated r on r.program_id = m.program_id and r.meeting_id = m.meeting_id
where m.rec > r.first_rec
