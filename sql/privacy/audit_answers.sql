-- One row per evaluation answer of a program's pairs: the pair, who answered (mentor or
-- mentee), the phase and the satisfaction score (1–5). The intruder audit's answer cells.
-- Parameters: $program_id.
select e.pair_id, e.respondent_role as role, e.phase, e.satisfaction::integer as score
from stg_evaluations e
where e.program_id = $program_id and e.satisfaction is not null
order by e.pair_id, e.respondent_role, e.phase
