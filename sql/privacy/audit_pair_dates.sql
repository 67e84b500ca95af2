-- One row per pair of a program: its matching day, the finest period unit the intruder audit
-- knows when it audits the views with the protections off (any date window).
-- Parameters: $program_id.
select pair_id, strftime(matched_at, '%Y-%m-%d') as matched_at
from stg_pairs
where program_id = $program_id
order by pair_id
