-- The editions of a program: the chain of previous editions (programs.previous_program_id)
-- back from it and the later editions that name it, each with its position (0 = the program,
-- −1 its previous edition, +1 the next one), oldest first. At most 50 steps either way (the
-- import refuses a program that is its own previous edition, and an edition must start before
-- the next, so the chain has no loop).
-- Parameters: $program_id.
with recursive
back(program_id, position) as (
  select $program_id::varchar, 0
  union all
  select p.previous_program_id, b.position - 1
  from back b
  join programs p on p.program_id = b.program_id
  where p.previous_program_id is not null and b.position > -50
),
forward(program_id, position) as (
  select $program_id::varchar, 0
  union all
  select p.program_id, f.position + 1
  from forward f
  join programs p on p.previous_program_id = f.program_id
  where f.position < 50
)
select e.program_id, min(e.position)::integer as position
from (select * from back union all select * from forward) e
join programs p on p.program_id = e.program_id
group by e.program_id
order by position
