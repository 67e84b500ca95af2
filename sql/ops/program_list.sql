-- One row per stored program, with its participants and pairs (the admin programs page).
select
  p.program_id,
  p.name,
  p.kind,
  p.start_date,
  p.end_date,
  (select count(*) from participants x where x.program_id = p.program_id) as participants,
  (select count(*) from pairs x where x.program_id = p.program_id) as pairs
from programs p
order by p.program_id
