-- One row per paying organization of the cost lines that pass the filters (paying
-- organization $f_org, date in [$f_from, $f_to]), plus every organization with participants:
-- amount paid (null when it paid nothing), its participants and matched mentees, cost per
-- participant and per matched mentee (marts/macros/cost_per.sql). Lines without an organization form the group
-- 'unattributed'. With $sponsor_org_id set, every other organization (and 'unattributed') is
-- merged into 'others'.
-- Parameters: $program_id; $sponsor_org_id (VARCHAR or null); filters $f_org, $f_from, $f_to.
with
lines as (
  select coalesce(c.org_id, 'unattributed') as org_key, c.amount
  from filtered_cost_lines($program_id, $f_org::varchar, $f_from::date, $f_to::date) c
),
people as (
  select
    org_id as org_key,
    any_value(org_name) as org_name,
    count(*) as participants,
    count(*) filter (where is_matched_mentee(role, count_pairs)) as matched_mentees
  from metrics_participants
  where program_id = $program_id and ($f_org::varchar is null or org_id = $f_org::varchar)
  group by org_id
),
paid as (
  select org_key, sum(amount) as amount from lines group by org_key
),
per_org as (
  select
    coalesce(people.org_key, paid.org_key) as org_key,
    coalesce(people.org_name, o.org_name) as org_name,
    paid.amount,
    coalesce(people.participants, 0) as participants,
    coalesce(people.matched_mentees, 0) as matched_mentees
  from people
  full join paid using (org_key)
  left join stg_organizations o on o.org_id = coalesce(people.org_key, paid.org_key)
),
grouped as (
  select
    group_key,
    case when group_key = 'others' and $sponsor_org_id::varchar is not null then null
      else any_value(org_name) end as org_name,
    sum(amount) as amount,
    sum(participants) as participants,
    sum(matched_mentees) as matched_mentees
  from (
    select
      *,
      case when $sponsor_org_id::varchar is not null and org_key <> $sponsor_org_id::varchar
        then 'others' else org_key end as group_key
    from per_org
  )
  group by group_key
)
select
  *,
  cost_per(amount, participants) as cost_per_participant,
  cost_per(amount, matched_mentees) as cost_per_matched_mentee
from grouped
order by group_key
