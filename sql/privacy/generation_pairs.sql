-- One row per pair of a program with what the generations page's tables group it by: both
-- members and their organization and generation, the matching day, the 5-year age-gap band,
-- and whether it is cross-generation or reverse. The input of the consistent hiding of those
-- tables (analytics/privacy/consistent.server.ts). Reads the marts. Parameters: $program_id.
select
  pair_id,
  mentor_id,
  mentee_id,
  strftime(matched_at, '%Y-%m-%d') as matched_on,
  mentor_org_id as mentor_org,
  mentor_generation as mentor_gen,
  mentee_org_id as mentee_org,
  mentee_generation as mentee_gen,
  case when age_gap_years is not null then (5 * (age_gap_years // 5))::integer end as gap_band,
  is_cross_generation as cross_generation,
  is_reverse as reverse,
  null::varchar as end_reason
from metrics_pairs
where program_id = $program_id
order by pair_id
