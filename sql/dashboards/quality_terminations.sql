-- One row per end reason of the filtered pairs that ended early ('unknown' when none was
-- given): the number of pairs and of distinct participants in them, most frequent first.
-- The filtered pairs: filtered_pair_status, the mart_pair_status rows that pass the URL
-- filters (sql/marts/filtered_pair_status.sql; null = no filter).
-- Parameters: $program_id, $as_of (DATE), $f_cohort, $f_org, $f_generation, $f_role, $f_from, $f_to.
with
filtered_pairs as materialized (
  select ps.pair_id, ps.mentor_id, ps.mentee_id
  from filtered_pair_status($program_id, $as_of::date, $f_cohort::varchar, $f_from::date, $f_to::date, $f_role::varchar, $f_org::varchar, $f_generation::varchar) ps
  where ps.is_ended_early
)
select
  coalesce(nullif(trim(p.end_reason), ''), 'unknown') as reason,
  count(*) as pairs,
  count(distinct fp.mentor_id) + count(distinct fp.mentee_id) as participants
from filtered_pairs fp
join stg_pairs p on p.program_id = $program_id and p.pair_id = fp.pair_id
group by 1
order by pairs desc, reason
