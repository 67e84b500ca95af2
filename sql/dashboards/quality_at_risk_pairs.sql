-- One row per at-risk pair (report definition) among the filtered pairs that the reader may see
-- individually: every pair when $individuals_org is '*', else the pairs with a member of that
-- organization; a member of another organization has a null id. With the reasons it is at risk
-- and its last meeting, oldest match first, at most $limit rows.
-- The filtered pairs: mart_pair_status rows of the program whose intake cohort, matched_at
-- range, and mentor's/mentee's organization and generation (the member of $f_role when set,
-- else either) match the filters (null = no filter).
-- Parameters: $program_id, $as_of (DATE), $f_cohort, $f_org, $f_generation, $f_role, $f_from,
-- $f_to, $individuals_org, $limit.
select
  ps.pair_id,
  case when $individuals_org = '*' or ps.mentor_org_id = $individuals_org then ps.mentor_id end as mentor_id,
  ps.mentor_org_id,
  case when $individuals_org = '*' or ps.mentee_org_id = $individuals_org then ps.mentee_id end as mentee_id,
  ps.mentee_org_id,
  strftime(ps.matched_at, '%Y-%m-%d') as matched_at,
  strftime(ps.last_meeting_date, '%Y-%m-%d') as last_meeting_date,
  ps.is_midpoint_flagged as flagged_at_midpoint,
  ps.count_midpoint_evaluations = 0 and ps.is_as_of_after_midpoint as no_midpoint_evaluation,
  ps.is_matched_45_days_before_as_of and not ps.has_recent_meeting as no_recent_meeting
from mart_pair_status($program_id, $as_of::date) ps
where ps.is_at_risk
  and ($individuals_org = '*' or ps.mentor_org_id = $individuals_org or ps.mentee_org_id = $individuals_org)
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
order by ps.matched_at, ps.pair_id
limit $limit
