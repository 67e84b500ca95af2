-- One row per pair of the program that the reader may see individually (every pair when
-- $individuals_all is true, else the pairs with a member of that organization; a member of
-- another organization has a null id), among the pairs the filters select: ids, organizations,
-- generations, dates, status and the as_of facts (regularity, at risk). Typed for Arrow:
-- dates as ISO text, counts as INTEGER, shares as DOUBLE.
-- Parameters: $program_id, $as_of (DATE), $individuals_all (boolean), $individuals_org (null
-- with $individuals_all), $f_cohort, $f_org, $f_generation,
-- $f_role, $f_from, $f_to (null = no filter; see quality_summary.sql for their meaning).
select
  ps.pair_id,
  case when $individuals_all or ps.mentor_org_id = $individuals_org::varchar then ps.mentor_id end as mentor_id,
  ps.mentor_org_id,
  ps.mentor_generation,
  case when $individuals_all or ps.mentee_org_id = $individuals_org::varchar then ps.mentee_id end as mentee_id,
  ps.mentee_org_id,
  ps.mentee_generation,
  strftime(ps.matched_at, '%Y-%m-%d') as matched_at,
  strftime(ps.ended_at, '%Y-%m-%d') as ended_at,
  ps.status,
  ps.is_reverse,
  ps.age_gap_years::integer as age_gap_years,
  ps.count_midpoint_evaluations::integer as count_midpoint_evaluations,
  ps.count_topics_targeted::integer as count_topics_targeted,
  ps.count_topics_acquired::integer as count_topics_acquired,
  ps.meeting_regularity::double as meeting_regularity,
  ps.is_at_risk
from filtered_pair_status($program_id, $as_of::date, $f_cohort::varchar, $f_from::date, $f_to::date, $f_role::varchar, $f_org::varchar, $f_generation::varchar) ps
where ($individuals_all or ps.mentor_org_id = $individuals_org::varchar or ps.mentee_org_id = $individuals_org::varchar)
order by ps.pair_id
