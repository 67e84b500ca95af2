-- One row per program in the database, with its size. No parameters.
with participant_counts as (
  select program_id, count(*) as participants
  from participants
  group by program_id
),
pair_counts as (
  select program_id, count(*) as pairs
  from pairs
  group by program_id
)
select
  p.program_id,
  p.name,
  p.kind,
  p.start_date,
  p.end_date,
  p.currency,
  coalesce(pc.participants, 0) as participants,
  coalesce(pp.pairs, 0) as pairs
from programs as p
left join participant_counts as pc using (program_id)
left join pair_counts as pp using (program_id)
order by p.start_date desc, p.name
