-- One row per at-risk pair (report definition) among the filtered pairs that the reader may see
-- individually: every pair when $individuals_all is true, else the pairs with a member of that
-- organization; a member of another organization has a null id. With the reasons it is at risk
-- and its last meeting, oldest match first, at most $limit rows.
-- The filtered pairs: filtered_pair_status, the mart_pair_status rows that pass the URL
-- filters (sql/marts/filtered_pair_status.sql; null = no filter).
-- Parameters: $program_id, $as_of (DATE), $f_cohort, $f_org, $f_generation, $f_role, $f_from,
-- $f_to, $individuals_all (boolean), $individuals_org
-- (null with $individuals_all), $limit.
select
  ps.pair_id,
  case when $individuals_all or ps.mentor_org_id = $individuals_org::varchar then ps.mentor_id end as mentor_id,
  ps.mentor_org_id,
  case when $individuals_all or ps.mentee_org_id = $individuals_org::varchar then ps.mentee_id end as mentee_id,
  ps.mentee_org_id,
  strftime(ps.matched_at, '%Y-%m-%d') as matched_at,
  strftime(ps.last_meeting_date, '%Y-%m-%d') as last_meeting_date,
  ps.is_midpoint_flagged as flagged_at_midpoint,
  ps.count_midpoint_evaluations = 0 and ps.is_as_of_after_midpoint as no_midpoint_evaluation,
  ps.is_matched_45_days_before_as_of and not ps.has_recent_meeting as no_recent_meeting
from filtered_pair_status($program_id, $as_of::date, $f_cohort::varchar, $f_from::date, $f_to::date, $f_role::varchar, $f_org::varchar, $f_generation::varchar) ps
where ps.is_at_risk
  and ($individuals_all or ps.mentor_org_id = $individuals_org::varchar or ps.mentee_org_id = $individuals_org::varchar)
order by ps.matched_at, ps.pair_id
limit $limit
