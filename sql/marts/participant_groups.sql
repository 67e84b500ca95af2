-- Mart: one row per participant and breakdown dimension (organization, generation, gender,
-- role, cohort), naming the group the participant falls in, with the participant's per-person
-- sums from mart_participants. Group keys: org_id (or 'others' beside a sponsor's own
-- organization), generation key, gender F/M/X/'unknown', role, cohort month 'YYYY-MM'
-- (or 'unmatched').
-- Table macro; parameters: p_program_id, p_sponsor_org_id (VARCHAR or null).
create or replace temp macro mart_participant_groups(p_program_id, p_sponsor_org_id) as table
with
people as materialized (
  select * from mart_participants(p_program_id)
),
is_sponsor_view as (
  select p_sponsor_org_id::varchar is not null as yes
)
select
  people.*,
  dims.dimension,
  dims.group_key,
  dims.label
from people
cross join is_sponsor_view
cross join lateral (
  select * from (values
    (
      'organization',
      case when not is_sponsor_view.yes or people.org_id = p_sponsor_org_id::varchar
        then people.org_id else 'others' end,
      case when not is_sponsor_view.yes or people.org_id = p_sponsor_org_id::varchar
        then people.org_name else 'Other organizations' end
    ),
    ('generation', people.generation, null),
    ('gender', people.gender_key, null),
    ('role', people.role, null),
    ('cohort', coalesce(people.cohort_month, 'unmatched'), null)
  ) as v(dimension, group_key, label)
) as dims
