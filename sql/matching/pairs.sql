-- One row per recorded pair of a program, with its mid-point answers: the facts the
-- outcome label needs (labelled = at least one mid-point answer or ended early; success = not
-- ended early and every mid-point satisfaction ≥ 4).
-- Parameters: $program_id.
with midpoint as (
  select pair_id, count(*) as count_midpoint_answers, min(satisfaction) as min_midpoint_satisfaction
  from evaluations
  where program_id = $program_id and phase = 'midpoint'
  group by pair_id
)
select
  p.pair_id,
  p.mentor_id,
  p.mentee_id,
  p.status,
  strftime(p.matched_at, '%Y-%m-%d') as matched_at,
  coalesce(m.count_midpoint_answers, 0) as count_midpoint_answers,
  m.min_midpoint_satisfaction
from pairs p
left join midpoint m on m.pair_id = p.pair_id
where p.program_id = $program_id
order by p.pair_id
