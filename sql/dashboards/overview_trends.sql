-- One row per calendar month of a program, from the month of start_date to the month of
-- $as_of, with the program-wide figures as they stood at the end of that month (cumulative):
-- participants joined, pairs matched, pairs active (matched, not yet ended), topic completion
-- (acquired by then / targeted in pairs matched by then), mean mid-point satisfaction of the
-- answers given by then, cost spent by then per mentee matched by then (null before the first
-- cost line: marts/macros/cost_per.sql, as in the report), cross-generation
-- share of the pairs matched by then. Events before the start count in the first month.
-- Reads the staging views and the materialized metrics_pairs (withProgramMarts).
-- Parameters: $program_id, $as_of (DATE).
with
program as (
  select
    date_trunc('month', start_date)::date as first_month,
    date_trunc('month', least(end_date, $as_of::date))::date as last_month,
    least(end_date, $as_of::date) as last_day
  from stg_programs
  where program_id = $program_id
),
months as (
  select unnest(generate_series(first_month, last_month, interval 1 month))::date as month
  from program
),
-- Each event in the month it happened (clamped to the first month), dropped after the last day.
events as (
  select greatest(date_trunc('month', joined_at)::date, program.first_month) as month,
         1 as participants, 0 as pairs, 0 as ended, 0 as cross_gen, 0 as mentees,
         0 as targeted, 0 as acquired, 0 as sat_sum, 0 as sat_n, null::double as cost
  from stg_participants, program
  where program_id = $program_id and joined_at <= program.last_day
  union all
  select greatest(date_trunc('month', matched_at)::date, program.first_month), 0, 1, 0,
         case when is_cross_generation then 1 else 0 end, 0, count_topics_targeted, 0, 0, 0, null
  from metrics_pairs, program
  where program_id = $program_id and matched_at <= program.last_day
  union all
  select greatest(date_trunc('month', ended_at)::date, program.first_month), 0, 0, 1, 0, 0, 0, 0, 0, 0, null
  from metrics_pairs, program
  where program_id = $program_id and ended_at is not null and ended_at <= program.last_day
  union all
  select greatest(date_trunc('month', first_matched_at)::date, program.first_month), 0, 0, 0, 0, 1, 0, 0, 0, 0, null
  from metrics_participants, program
  where program_id = $program_id and role = 'mentee' and first_matched_at <= program.last_day
  union all
  select greatest(date_trunc('month', t.acquired_at)::date, program.first_month), 0, 0, 0, 0, 0, 0, 1, 0, 0, null
  from stg_pair_topics t, program
  where t.program_id = $program_id and t.acquired_at <= program.last_day
  union all
  select greatest(date_trunc('month', submitted_at)::date, program.first_month), 0, 0, 0, 0, 0, 0, 0, satisfaction, 1, null
  from stg_evaluations, program
  where program_id = $program_id and phase = 'midpoint' and submitted_at <= program.last_day
  union all
  select greatest(date_trunc('month', spent_on)::date, program.first_month), 0, 0, 0, 0, 0, 0, 0, 0, 0, amount::double
  from stg_costs, program
  where program_id = $program_id and spent_on <= program.last_day
),
monthly as (
  select
    m.month,
    coalesce(sum(e.participants), 0) as participants,
    coalesce(sum(e.pairs), 0) as pairs,
    coalesce(sum(e.ended), 0) as ended,
    coalesce(sum(e.cross_gen), 0) as cross_gen,
    coalesce(sum(e.mentees), 0) as mentees,
    coalesce(sum(e.targeted), 0) as targeted,
    coalesce(sum(e.acquired), 0) as acquired,
    coalesce(sum(e.sat_sum), 0) as sat_sum,
    coalesce(sum(e.sat_n), 0) as sat_n,
    sum(e.cost) as cost
  from months m
  left join events e on e.month = m.month
  group by m.month
),
running as (
  select
    month,
    sum(participants) over w as participants,
    sum(pairs) over w as pairs,
    sum(ended) over w as ended,
    sum(cross_gen) over w as cross_gen,
    sum(mentees) over w as mentees,
    sum(targeted) over w as targeted,
    sum(acquired) over w as acquired,
    sum(sat_sum) over w as sat_sum,
    sum(sat_n) over w as sat_n,
    sum(cost) over w as cost
  from monthly
  window w as (order by month rows between unbounded preceding and current row)
)
select
  strftime(month, '%Y-%m') as month,
  participants,
  pairs,
  pairs - ended as active_pairs,
  acquired / nullif(targeted, 0) as topic_completion_rate,
  sat_sum / nullif(sat_n, 0) as midpoint_satisfaction_mean,
  cost_per(cost, mentees) as cost_per_matched_mentee,
  cross_gen / nullif(pairs, 0) as cross_generation_pair_rate
from running
order by month
