-- One row per program that has at least one labelled pair (a mid-point answer or an early
-- end): the programs an outcome model can learn from.
-- Parameters: none.
select distinct p.program_id
from pairs p
where p.status = 'ended_early'
  or exists (
    select 1 from evaluations e
    where e.program_id = p.program_id and e.pair_id = p.pair_id and e.phase = 'midpoint'
  )
order by p.program_id
