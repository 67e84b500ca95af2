-- One row per program the viewer may see, with its size. Parameters: $is_admin (every program),
-- $org_id (otherwise: the programs this organization has participants in).
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
where $is_admin or exists (
  select 1 from participants as x where x.program_id = p.program_id and x.org_id = $org_id
)
order by p.start_date desc, p.name
