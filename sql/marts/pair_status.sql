-- Mart: one row per pair of a program with the facts that depend on the report's as_of date,
-- read from the materialized metrics_pairs: the pair's calendar months (month of matched_at
-- to the month of ended_at, else of as_of; none when matched after as_of), the months among
-- them with an offline meeting, meeting regularity, a meeting in (as_of − 45 days, as_of],
-- whether it was open at the program's midpoint, and the at-risk flag.
-- Table macro; parameters: p_program_id, p_as_of (DATE).
create or replace temp macro mart_pair_status(p_program_id, p_as_of) as table
with
program as (
  select midpoint_date(start_date, end_date) as midpoint_date
  from stg_programs
  where program_id = p_program_id
),
spans as (
  select
    mp.*,
    program.midpoint_date,
    case when mp.matched_at <= p_as_of::date
      then month_index(coalesce(mp.ended_at, p_as_of::date))
    end as last_month_index
  from metrics_pairs mp
  cross join program
  where mp.program_id = p_program_id
),
facts as (
  select
    * exclude (offline_month_indexes, meeting_dates, acquire_days),
    last_month_index - first_month_index + 1 as count_months,
    -- Meetings are never before matched_at (the import refuses them), so when every offline
    -- month is within the span the count is the stored total; the lists are read otherwise.
    case
      when last_month_index is null then 0
      when coalesce(last_offline_month_index, 0) <= last_month_index then count_offline_months_total
      else len(list_filter(offline_month_indexes, lambda m: m <= last_month_index))
    end as count_offline_months,
    case
      when last_meeting_date is null then false
      when last_meeting_date <= p_as_of::date then last_meeting_date > p_as_of::date - 45
      else len(list_filter(meeting_dates, lambda d: d > p_as_of::date - 45 and d <= p_as_of::date)) > 0
    end as has_recent_meeting,
    matched_at <= p_as_of::date - 45 as is_matched_45_days_before_as_of,
    ended_at is null or ended_at >= midpoint_date as is_open_at_midpoint,
    p_as_of::date >= midpoint_date as is_as_of_after_midpoint
  from spans
)
select
  *,
  count_offline_months / count_months as meeting_regularity,
  is_active and (
    is_midpoint_flagged
    or (count_midpoint_evaluations = 0 and is_as_of_after_midpoint)
    or (is_matched_45_days_before_as_of and not has_recent_meeting)
  ) as is_at_risk
from facts
