-- Table macro: the impact figures' counts (issue 13, docs/metrics.md "Impact"), one row per
-- group of the program's workforce with the same outcome, side (participant or not, and
-- role), cell (organization, generation, job level, tenure band at the start:
-- analytics/impact/bands.ts), time (days since the start) and status. Mirrors
-- analytics/impact/records.ts:
--   retention: event = a voluntary departure on or before the end (the horizon, or
--              observed_until if earlier); any other departure or the end censors;
--   promotion: event = promoted_at on or before the end and not after the departure; a
--              departure or the end censors.
-- A participant missing from the workforce is not here (a warning at import). Read by
-- sql/impact/records.sql (the rows) and sql/impact/record_lists.sql (the same rows, one list
-- per group of people). Parameters: p_program_id, p_horizon_months. Uses the macros
-- generation_key and tenure_band (so it is created after them: the file name sorts later).
create or replace temp macro workforce_groups(p_program_id, p_horizon_months) as table
with program as (
  select program_id, start_date, (start_date + to_months(p_horizon_months::integer))::date as horizon_date
  from programs where program_id = p_program_id
),
people as (
  select
    p.start_date,
    pt.participant_id is not null as participant,
    pt.role,
    w.org_id || '|' || generation_key(w.birth_year) || '|' || coalesce(w.job_level::varchar, 'unknown') || '|' || tenure_band(w.hire_date, p.start_date) as cell,
    least(p.horizon_date, w.observed_until) as end_date,
    w.left_at, w.leave_reason, w.promoted_at
  from workforce w
  join program p on p.program_id = w.program_id
  left join participants pt on pt.program_id = w.program_id and pt.participant_id = w.person_id
),
ends as (
  select *,
    case when left_at <= end_date then left_at end as left_in,
    case when promoted_at <= end_date and (left_at is null or promoted_at <= left_at) then promoted_at end as promoted_in
  from people
)
select 'retention' as outcome, participant, role, cell,
  date_diff('day', start_date, coalesce(left_in, end_date))::integer as time,
  coalesce(left_in is not null and leave_reason = 'voluntary', false) as event,
  count(*)::integer as n
from ends group by all
union all
select 'promotion', participant, role, cell,
  date_diff('day', start_date, coalesce(promoted_in, left_in, end_date))::integer,
  promoted_in is not null,
  count(*)::integer
from ends group by all
