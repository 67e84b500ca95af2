-- One row per pair of a program with what the generations page's tables group it by: both
-- members and their organization and generation, the matching day, the 5-year age-gap band,
-- whether it is cross-generation or reverse, and whether the mentor is the younger. The input of the consistent hiding of those
-- tables (analytics/privacy/consistent.server.ts). Reads the marts. Parameters: $program_id.
select
  mp.pair_id,
  mp.mentor_id,
  mp.mentee_id,
  strftime(mp.matched_at, '%Y-%m-%d') as matched_on,
  mp.mentor_org_id as mentor_org,
  mp.mentor_generation as mentor_gen,
  mp.mentee_org_id as mentee_org,
  mp.mentee_generation as mentee_gen,
  case when mp.age_gap_years is not null then (5 * (mp.age_gap_years // 5))::integer end as gap_band,
  mp.is_cross_generation as cross_generation,
  mp.is_reverse as reverse,
  coalesce(mentor.birth_year > mentee.birth_year, false) as younger_mentor,
  null::varchar as end_reason
from metrics_pairs mp
left join metrics_participants mentor on mentor.program_id = mp.program_id and mentor.participant_id = mp.mentor_id
left join metrics_participants mentee on mentee.program_id = mp.program_id and mentee.participant_id = mp.mentee_id
where mp.program_id = $program_id
order by mp.pair_id
