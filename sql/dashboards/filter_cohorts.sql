-- One row per intake cohort (month of matched_at, 'YYYY-MM') of a program's pairs, oldest
-- first: the cohort filter's choices. Parameters: $program_id.
select distinct strftime(matched_at, '%Y-%m') as cohort
from pairs
where program_id = $program_id
order by cohort
