-- One row per end reason of the filtered pairs that ended early ('unknown' when none was
-- given): the number of pairs and of distinct participants in them, most frequent first.
-- The filtered pairs: mart_pair_status rows of the program whose intake cohort, matched_at
-- range, and mentor's/mentee's organization and generation (the member of $f_role when set,
-- else either) match the filters (null = no filter).
-- Parameters: $program_id, $as_of (DATE), $f_cohort, $f_org, $f_generation, $f_role, $f_from, $f_to.
with
filtered_pairs as materialized (
  select ps.pair_id, ps.mentor_id, ps.mentee_id
  from mart_pair_status($program_id, $as_of::date) ps
  where ps.is_ended_early
  and ($f_cohort is null or ps.cohort_month = $f_cohort)
  and ($f_from is null or ps.matched_at >= $f_from::date)
  and ($f_to is null or ps.matched_at <= $f_to::date)
  and ($f_org is null or case $f_role
    when 'mentor' then ps.mentor_org_id = $f_org
    when 'mentee' then ps.mentee_org_id = $f_org
    else ps.mentor_org_id = $f_org or ps.mentee_org_id = $f_org end)
  and ($f_generation is null or case $f_role
    when 'mentor' then ps.mentor_generation = $f_generation
    when 'mentee' then ps.mentee_generation = $f_generation
    else ps.mentor_generation = $f_generation or ps.mentee_generation = $f_generation end)
)
select
  coalesce(nullif(trim(p.end_reason), ''), 'unknown') as reason,
  count(*) as pairs,
  count(distinct fp.mentor_id) + count(distinct fp.mentee_id) as participants
from filtered_pairs fp
join stg_pairs p on p.program_id = $program_id and p.pair_id = fp.pair_id
group by 1
order by pairs desc, reason
