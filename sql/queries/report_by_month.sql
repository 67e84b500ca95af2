-- One row per calendar month of the program up to the month of as_of (group_key 'YYYY-MM'):
-- participants and pairs active that month, the mean satisfaction of the midpoint answers
-- submitted that month, and the completion rate of the active pairs' topics at the month's
-- end, with the people behind each mean or rate (for small-cell suppression).
-- Parameters: $program_id; $as_of (DATE, already resolved by report_program).
select
  group_key,
  participants,
  pairs,
  sum_midpoint_satisfaction / nullif(count_midpoint_answers, 0) as midpoint_satisfaction_mean,
  midpoint_respondents,
  count_topics_acquired / nullif(count_topics_targeted, 0) as completion_rate,
  completion_mentees
from metrics_month_groups
where program_id = $program_id and month_start <= $as_of::date
order by group_key
