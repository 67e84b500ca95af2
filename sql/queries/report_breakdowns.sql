-- One row per breakdown group (dimension, group_key) of a program: label, participants,
-- pairs, midpoint satisfaction mean and topic completion rate, with the people behind each
-- mean or rate (for small-cell suppression). pairs = distinct pairs with a member in the
-- group = pairs with the mentor in it + pairs with the mentee in it − pairs with both.
-- With a sponsor, the organization dimension keeps the sponsor's row and merges every other
-- organization into 'others' (sums add up; its pairs with both sides outside the sponsor
-- are all pairs − the sponsor's mentor pairs − its mentee pairs + its pairs within).
-- Parameters: $program_id; $sponsor_org_id (VARCHAR or null).
with
groups as (
  select * from metrics_breakdown_groups where program_id = $program_id
),
all_pairs as (
  select count(*) as n from metrics_pairs where program_id = $program_id
),
sponsor as (
  select
    coalesce(sum(pairs_with_mentor_in), 0) as with_mentor,
    coalesce(sum(pairs_with_mentee_in), 0) as with_mentee,
    coalesce(sum(pairs_within_group), 0) as within
  from groups
  where dimension = 'organization' and group_key = $sponsor_org_id::varchar
),
merged as (
  select
    dimension,
    case when dimension = 'organization' and $sponsor_org_id::varchar is not null
        and group_key <> $sponsor_org_id::varchar
      then 'others' else group_key end as group_key,
    case when dimension = 'organization' and $sponsor_org_id::varchar is not null
        and group_key <> $sponsor_org_id::varchar
      then 'Other organizations' else label end as label,
    participants, pairs_with_mentor_in, pairs_with_mentee_in, pairs_within_group,
    count_midpoint_answers, sum_midpoint_satisfaction, midpoint_respondents,
    count_topics_targeted, count_topics_acquired, completion_mentees
  from groups
),
summed as (
  select
    dimension,
    group_key,
    any_value(label) as label,
    sum(participants) as participants,
    sum(pairs_with_mentor_in) + sum(pairs_with_mentee_in) as member_pairs,
    sum(pairs_within_group) as pairs_within_group,
    sum(sum_midpoint_satisfaction) / nullif(sum(count_midpoint_answers), 0) as midpoint_satisfaction_mean,
    sum(midpoint_respondents) as midpoint_respondents,
    sum(count_topics_acquired) / nullif(sum(count_topics_targeted), 0) as completion_rate,
    sum(completion_mentees) as completion_mentees
  from merged
  group by dimension, group_key
)
select
  s.dimension,
  s.group_key,
  s.label,
  s.participants,
  s.member_pairs - case when s.dimension = 'organization' and s.group_key = 'others'
      and $sponsor_org_id::varchar is not null
    then all_pairs.n - sponsor.with_mentor - sponsor.with_mentee + sponsor.within
    else s.pairs_within_group end as pairs,
  s.midpoint_satisfaction_mean,
  s.midpoint_respondents,
  s.completion_rate,
  s.completion_mentees
from summed s, all_pairs, sponsor
order by s.dimension, s.group_key
