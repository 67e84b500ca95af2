-- Mart: one row per program, breakdown dimension and group, read from the materialized
-- participants and pairs. Dimensions and group keys: organization (org_id), generation
-- (generation key), gender (F/M/X/'unknown'), role (mentor/mentee), cohort (month of the
-- person's first matched_at 'YYYY-MM', or 'unmatched'). Every column is a sum over the
-- group's members, so groups can be merged by adding (the sponsor's 'others' group):
-- participants; pairs_with_mentor_in / pairs_with_mentee_in (pairs whose mentor / mentee is a
-- member); pairs_within_group (both are); midpoint answers given and their satisfaction sum,
-- and the members who gave one; topics targeted and acquired in the pairs whose mentee is a
-- member, and those mentees.
-- Table macro; parameters: p_program_id.
create or replace temp macro mart_breakdown_groups(p_program_id) as table
with
people as (
  select *, coalesce(cohort_month, 'unmatched') as cohort_group
  from metrics_participants
  where program_id = p_program_id
),
group_sums as (
  select
    case
      when grouping(org_id) = 0 then 'organization'
      when grouping(generation) = 0 then 'generation'
      when grouping(gender_key) = 0 then 'gender'
      when grouping(role) = 0 then 'role'
      else 'cohort'
    end as dimension,
    coalesce(org_id, generation, gender_key, role, cohort_group) as group_key,
    case when grouping(org_id) = 0 then any_value(org_name) end as label,
    count(*) as participants,
    coalesce(sum(count_midpoint_answers), 0) as count_midpoint_answers,
    coalesce(sum(sum_midpoint_satisfaction), 0) as sum_midpoint_satisfaction,
    count(*) filter (where count_midpoint_answers > 0) as midpoint_respondents,
    coalesce(sum(count_topics_targeted), 0) as count_topics_targeted,
    coalesce(sum(count_topics_acquired), 0) as count_topics_acquired,
    count(*) filter (where count_topics_targeted > 0) as completion_mentees
  from people
  group by grouping sets ((org_id), (generation), (gender_key), (role), (cohort_group))
),
pair_groups as (
  select 'organization' as dimension, mentor_org_id as mentor_group, mentee_org_id as mentee_group
  from metrics_pairs where program_id = p_program_id
  union all
  select 'generation', mentor_generation, mentee_generation
  from metrics_pairs where program_id = p_program_id
  union all
  select 'gender', mentor_gender_key, mentee_gender_key
  from metrics_pairs where program_id = p_program_id
  union all
  select 'role', 'mentor', 'mentee'
  from metrics_pairs where program_id = p_program_id
  union all
  select 'cohort', mentor_cohort_month, mentee_cohort_month
  from metrics_pairs where program_id = p_program_id
),
pair_sums as (
  select
    dimension,
    group_key,
    sum(as_mentor) as pairs_with_mentor_in,
    sum(as_mentee) as pairs_with_mentee_in,
    sum(within) as pairs_within_group
  from (
    select dimension, mentor_group as group_key, 1 as as_mentor, 0 as as_mentee,
      (mentor_group = mentee_group)::integer as within
    from pair_groups
    union all
    select dimension, mentee_group, 0, 1, 0 from pair_groups
  )
  group by dimension, group_key
)
select
  p_program_id::varchar as program_id,
  g.*,
  coalesce(ps.pairs_with_mentor_in, 0) as pairs_with_mentor_in,
  coalesce(ps.pairs_with_mentee_in, 0) as pairs_with_mentee_in,
  coalesce(ps.pairs_within_group, 0) as pairs_within_group
from group_sums g
left join pair_sums ps using (dimension, group_key)
