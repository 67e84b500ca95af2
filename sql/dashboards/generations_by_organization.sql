-- One row per organization of the participants that pass the filters: participants, those
-- outside the 30–50 core and their share; pairs with a member in the organization (among the
-- pairs that pass the filters), of which cross-generation and reverse, the cross-generation
-- rate and the median age gap. With $sponsor_org_id set, every other organization is merged
-- into one group 'others'.
-- Parameters: $program_id; $sponsor_org_id (VARCHAR or null); filters $f_cohort, $f_org,
-- $f_generation, $f_role, $f_from, $f_to.
with
filtered_people as (
  select
    p.*,
    case when $sponsor_org_id::varchar is not null and p.org_id <> $sponsor_org_id::varchar
      then 'others' else p.org_id end as group_key
  from filtered_metrics_participants($program_id, $f_cohort::varchar, $f_from::date, $f_to::date, $f_role::varchar, $f_org::varchar, $f_generation::varchar) p
),
filtered_pairs as (
  select mp.*
  from filtered_metrics_pairs($program_id, $f_cohort::varchar, $f_from::date, $f_to::date, $f_role::varchar, $f_org::varchar, $f_generation::varchar) mp
),
people_figures as (
  select
    group_key,
    case when group_key = 'others' and $sponsor_org_id::varchar is not null then null else any_value(org_name) end as org_name,
    count(*) as participants,
    count(*) filter (where is_outside_core) as participants_outside_core,
    count(*) filter (where is_outside_core) / count(*) as outside_core_share
  from filtered_people
  group by group_key
),
pair_members as (
  -- a pair counts once for a group even when both sides are in it (two equi-joins, not an OR join)
  select distinct pair_id, is_cross_generation, is_reverse, age_gap_years, group_key
  from (
    select fp.pair_id, fp.is_cross_generation, fp.is_reverse, fp.age_gap_years, fpe.group_key
    from filtered_pairs fp
    join filtered_people fpe on fpe.participant_id = fp.mentor_id
    union all
    select fp.pair_id, fp.is_cross_generation, fp.is_reverse, fp.age_gap_years, fpe.group_key
    from filtered_pairs fp
    join filtered_people fpe on fpe.participant_id = fp.mentee_id
  )
),
pair_figures as (
  select
    group_key,
    count(*) as pairs,
    count(*) filter (where is_cross_generation) as pairs_cross_generation,
    count(*) filter (where is_cross_generation) / count(*) as cross_generation_pair_rate,
    count(*) filter (where is_reverse) as pairs_reverse,
    median(age_gap_years) as median_age_gap_years
  from pair_members
  group by group_key
)
select
  pf.*,
  coalesce(pr.pairs, 0) as pairs,
  coalesce(pr.pairs_cross_generation, 0) as pairs_cross_generation,
  pr.cross_generation_pair_rate,
  coalesce(pr.pairs_reverse, 0) as pairs_reverse,
  pr.median_age_gap_years
from people_figures pf
left join pair_figures pr using (group_key)
order by group_key
