-- The attention list (issue 14, item 3): one row per active pair among the filtered pairs that
-- the reader may see individually (every pair when $individuals_all is true, else the pairs with
-- a member of that organization; a member of another organization has a null id and a null
-- organization), in one category each:
--   needs_check_in  the report's at-risk rule (mart_pair_status.is_at_risk, the figure of
--                   report_summary.sql's at_risk_pairs), with its reasons;
--   too_early       not at risk and matched less than 45 days before as_of;
--   on_track        the other active pairs.
-- Ordered by pair id (analytics/dashboards/attention.server.ts orders by the early-warning score).
-- Parameters: $program_id, $as_of (DATE), $individuals_all (boolean), $individuals_org (null
-- with $individuals_all), $f_cohort, $f_org, $f_generation, $f_role, $f_from, $f_to (null = no
-- filter; see quality_summary.sql for their meaning).
select
  ps.pair_id,
  case when $individuals_all or ps.mentor_org_id = $individuals_org::varchar then ps.mentor_id end as mentor_id,
  case when $individuals_all or ps.mentor_org_id = $individuals_org::varchar then ps.mentor_org_id end as mentor_org_id,
  case when $individuals_all or ps.mentee_org_id = $individuals_org::varchar then ps.mentee_id end as mentee_id,
  case when $individuals_all or ps.mentee_org_id = $individuals_org::varchar then ps.mentee_org_id end as mentee_org_id,
  strftime(ps.matched_at, '%Y-%m-%d') as matched_at,
  strftime(ps.last_meeting_date, '%Y-%m-%d') as last_meeting_date,
  ($as_of::date - ps.matched_at)::integer as days_since_match,
  case
    when ps.is_at_risk then 'needs_check_in'
    when not ps.is_matched_45_days_before_as_of then 'too_early'
    else 'on_track'
  end as category,
  ps.is_at_risk and ps.is_midpoint_flagged as flagged_at_midpoint,
  ps.is_at_risk and ps.count_midpoint_evaluations = 0 and ps.is_as_of_after_midpoint as no_midpoint_evaluation,
  ps.is_at_risk and ps.is_matched_45_days_before_as_of and not ps.has_recent_meeting as no_recent_meeting
from filtered_pair_status($program_id, $as_of::date, $f_cohort::varchar, $f_from::date, $f_to::date, $f_role::varchar, $f_org::varchar, $f_generation::varchar) ps
where ps.is_active
  and ($individuals_all or ps.mentor_org_id = $individuals_org::varchar or ps.mentee_org_id = $individuals_org::varchar)
order by ps.pair_id
