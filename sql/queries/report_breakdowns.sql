-- One row per breakdown group (dimension, group_key): the group's label, participants,
-- pairs, midpoint satisfaction mean and topic completion rate, with the number of people
-- behind each mean or rate (for small-cell suppression). Dimensions: organization,
-- generation, gender, role, cohort. pairs = distinct pairs with a member in the group:
-- the members' pair counts minus the pairs whose mentor and mentee are both in the group.
-- Parameters: $program_id; $sponsor_org_id (VARCHAR or null: when set, the organization
-- dimension has that organization and one group 'others' for all the rest).
with
grouped as materialized (
  select * from mart_participant_groups($program_id, $sponsor_org_id::varchar)
),
group_sums as (
  select
    dimension,
    group_key,
    any_value(label) as label,
    count(*) as participants,
    sum(count_pairs) as member_pairs,
    sum(sum_midpoint_satisfaction) / nullif(sum(count_midpoint_answers), 0) as midpoint_satisfaction_mean,
    count(*) filter (where count_midpoint_answers > 0) as midpoint_respondents,
    sum(count_topics_acquired) / nullif(sum(count_topics_targeted), 0) as completion_rate,
    count(*) filter (where count_topics_targeted > 0) as completion_mentees
  from grouped
  group by dimension, group_key
),
shared_pairs as (
  select mentor_side.dimension, mentor_side.group_key, count(*) as pairs_within_group
  from stg_pairs pr
  join grouped mentor_side on mentor_side.participant_id = pr.mentor_id
  join grouped mentee_side
    on mentee_side.participant_id = pr.mentee_id
    and mentee_side.dimension = mentor_side.dimension
    and mentee_side.group_key = mentor_side.group_key
  where pr.program_id = $program_id
  group by mentor_side.dimension, mentor_side.group_key
)
select
  g.dimension,
  g.group_key,
  g.label,
  g.participants,
  g.member_pairs - coalesce(s.pairs_within_group, 0) as pairs,
  g.midpoint_satisfaction_mean,
  g.midpoint_respondents,
  g.completion_rate,
  g.completion_mentees
from group_sums g
left join shared_pairs s using (dimension, group_key)
order by g.dimension, g.group_key
