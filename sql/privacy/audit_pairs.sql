-- One row per pair of a program as of $as_of, with what the intruder audit
-- (analytics/privacy/audit.server.ts) needs to rebuild every published pair figure as a sum
-- over elementary cells: both sides' organization and generation, the intake month, the
-- status flags the quality page and the report count, the meeting regularity, and the end
-- reason of a pair that ended early, its members and its matching day ('unknown' when none was given, as the quality page says).
-- Reads the metrics marts. Parameters: $program_id, $as_of (DATE).
select
  ps.pair_id,
  mp.mentor_id,
  mp.mentee_id,
  strftime(mp.matched_at, '%Y-%m-%d') as matched_on,
  mp.mentor_org_id as mentor_org,
  mp.mentor_generation as mentor_gen,
  mp.mentee_org_id as mentee_org,
  mp.mentee_generation as mentee_gen,
  mp.cohort_month as month,
  ps.is_active,
  ps.is_completed,
  ps.is_ended_early,
  ps.is_midpoint_flagged,
  ps.is_at_risk,
  coalesce(ps.meeting_regularity, 0) as meeting_regularity,
  ps.meeting_regularity is not null as has_regularity,
  case when ps.is_ended_early then coalesce(nullif(trim(p.end_reason), ''), 'unknown') end as end_reason
from mart_pair_status($program_id, $as_of::date) ps
join metrics_pairs mp on mp.program_id = ps.program_id and mp.pair_id = ps.pair_id
join stg_pairs p on p.program_id = ps.program_id and p.pair_id = ps.pair_id
order by ps.pair_id
