-- One row per pair of a program with what the generations page adds to its pair figures: the
-- 5-year age-gap band, whether it is cross-generation or reverse, and whether the mentor is
-- the younger. Joined to privacy/audit_pairs (members, organizations, generations, matching
-- day) by the consistent hiding (analytics/privacy/consistent.server.ts) and the audit.
-- Reads the marts. Parameters: $program_id.
select
  mp.pair_id,
  case when mp.age_gap_years is not null then (5 * (mp.age_gap_years // 5))::integer end as gap_band,
  mp.is_cross_generation as cross_generation,
  mp.is_reverse as reverse,
  coalesce(mentor.birth_year > mentee.birth_year, false) as younger_mentor
from metrics_pairs mp
left join metrics_participants mentor on mentor.program_id = mp.program_id and mentor.participant_id = mp.mentor_id
left join metrics_participants mentee on mentee.program_id = mp.program_id and mentee.participant_id = mp.mentee_id
where mp.program_id = $program_id
order by mp.pair_id
