-- Mart: one row per program and calendar month of the program (from the month of start_date
-- to the month of end_date): the pairs active that month (matched_at ≤ the month's last day
-- and ended_at empty or ≥ its first day) and their members; the midpoint answers submitted
-- that month and who gave them; the topics of those pairs, acquired by the month's end, and
-- their mentees. Read from the materialized pairs.
-- Table macro; parameters: p_program_id.
create or replace temp macro mart_month_groups(p_program_id) as table
with
program as (
  select start_date, end_date from stg_programs where program_id = p_program_id
),
months as (
  select
    t.month_start::date as month_start,
    (t.month_start + interval 1 month - interval 1 day)::date as month_end
  from program,
    range(date_trunc('month', program.start_date), program.end_date + interval 1 day, interval 1 month)
      as t(month_start)
),
pair_spans as (
  -- A pair is active from the month of matched_at to the month of ended_at (open: for ever).
  select
    pair_id, mentor_id, mentee_id, count_topics_targeted, matched_at, ended_at, acquire_days
  from metrics_pairs
  where program_id = p_program_id
),
pair_months as (
  select m.month_start, p.mentor_id, p.mentee_id, p.count_topics_targeted
  from months m
  join pair_spans p
    on p.matched_at <= m.month_end and (p.ended_at is null or p.ended_at >= m.month_start)
),
-- Distinct people per month in two steps (a distinct aggregate over few groups runs on one
-- thread; a group-by does not).
member_months as (
  select month_start, participant_id, bool_or(has_topics) as is_mentee_with_topics
  from (
    select month_start, mentor_id as participant_id, false as has_topics from pair_months
    union all
    select month_start, mentee_id, count_topics_targeted > 0 from pair_months
  )
  group by month_start, participant_id
),
members as (
  select
    month_start,
    count(*) as participants,
    count(*) filter (where is_mentee_with_topics) as completion_mentees
  from member_months
  group by month_start
),
activity as (
  select month_start, count(*) as pairs, coalesce(sum(count_topics_targeted), 0) as count_topics_targeted
  from pair_months
  group by month_start
),
-- A topic acquired on day d counts in every month from the month of d while its pair is
-- active (acquired_at is never before matched_at).
acquired as (
  select
    p.matched_at + d.days::integer as acquired_at,
    p.ended_at
  from pair_spans p, unnest(p.acquire_days) as d(days)
),
acquisitions as (
  select m.month_start, count(*) as count_topics_acquired
  from months m
  join acquired a
    on a.acquired_at <= m.month_end and (a.ended_at is null or a.ended_at >= m.month_start)
  group by m.month_start
),
answers as (
  select
    m.month_start,
    count(*) as count_midpoint_answers,
    sum(e.satisfaction) as sum_midpoint_satisfaction,
    count(distinct case e.respondent_role when 'mentor' then p.mentor_id else p.mentee_id end)
      as midpoint_respondents
  from stg_evaluations e
  join metrics_pairs p on p.program_id = p_program_id and p.pair_id = e.pair_id
  join months m on e.submitted_at between m.month_start and m.month_end
  where e.program_id = p_program_id and e.phase = 'midpoint'
  group by m.month_start
)
select
  p_program_id::varchar as program_id,
  m.month_start,
  strftime(m.month_start, '%Y-%m') as group_key,
  coalesce(mb.participants, 0) as participants,
  coalesce(a.pairs, 0) as pairs,
  coalesce(an.count_midpoint_answers, 0) as count_midpoint_answers,
  coalesce(an.sum_midpoint_satisfaction, 0) as sum_midpoint_satisfaction,
  coalesce(an.midpoint_respondents, 0) as midpoint_respondents,
  coalesce(a.count_topics_targeted, 0) as count_topics_targeted,
  coalesce(q.count_topics_acquired, 0) as count_topics_acquired,
  coalesce(mb.completion_mentees, 0) as completion_mentees
from months m
left join members mb using (month_start)
left join activity a using (month_start)
left join acquisitions q using (month_start)
left join answers an using (month_start)
