-- One row: the generational mix of the participants and pairs that pass the filters —
-- participants and those outside the 30–50 core (the low and high octaves) and their share;
-- pairs, cross-generation pairs and their rate, median age gap, reverse-mentoring pairs, pairs
-- whose mentor is younger than the mentee. Generation, age at start, age gap and
-- cross-generation come from the marts (one definition). Unfiltered, the shared figures equal
-- the report's `generations` section and pairs.reverse.
-- Parameters: $program_id; filters $f_cohort, $f_org, $f_generation, $f_role, $f_from, $f_to.
with
filtered_people as (
  select p.*
  from filtered_metrics_participants($program_id, $f_cohort::varchar, $f_from::date, $f_to::date, $f_role::varchar, $f_org::varchar, $f_generation::varchar) p
),
filtered_pairs as (
  select mp.*
  from filtered_metrics_pairs($program_id, $f_cohort::varchar, $f_from::date, $f_to::date, $f_role::varchar, $f_org::varchar, $f_generation::varchar) mp
),
people_figures as (
  select
    count(*) as participants,
    count(*) filter (where generation = 'boomers') as participants_boomers,
    count(*) filter (where generation = 'gen_x') as participants_gen_x,
    count(*) filter (where generation = 'millennials') as participants_millennials,
    count(*) filter (where generation = 'gen_z') as participants_gen_z,
    count(*) filter (where is_outside_core) as participants_outside_core,
    count(*) filter (where is_outside_core) / nullif(count(*), 0) as outside_core_share
  from filtered_people
),
pair_figures as (
  select
    count(*) as pairs,
    count(*) filter (where fp.is_cross_generation) as pairs_cross_generation,
    count(*) filter (where fp.is_cross_generation) / nullif(count(*), 0) as cross_generation_pair_rate,
    median(fp.age_gap_years) as median_age_gap_years,
    count(*) filter (where fp.is_reverse) as pairs_reverse,
    count(*) filter (where fp.is_reverse) / nullif(count(*), 0) as reverse_pair_rate,
    count(*) filter (where mentor.birth_year > mentee.birth_year) as pairs_younger_mentor
  from filtered_pairs fp
  left join metrics_participants mentor on mentor.program_id = fp.program_id and mentor.participant_id = fp.mentor_id
  left join metrics_participants mentee on mentee.program_id = fp.program_id and mentee.participant_id = fp.mentee_id
)
select * from people_figures, pair_figures
