-- What the impact figures need besides the counts (issue 13): the program's start, its
-- workforce's size, the longest horizon the extract allows (whole months from the start to
-- the latest observed_until) and the participants missing from the workforce (left out).
-- Parameters: $program_id.
select
  strftime(p.start_date, '%Y-%m-%d') as start_date,
  (select count(*) from workforce w where w.program_id = p.program_id)::integer as workforce,
  (select date_sub('month', p.start_date, max(w.observed_until)) from workforce w where w.program_id = p.program_id)::integer as longest_horizon_months,
  (select count(*) from participants pt where pt.program_id = p.program_id
     and not exists (select 1 from workforce w where w.program_id = pt.program_id and w.person_id = pt.participant_id))::integer as participants_missing
from programs p
where p.program_id = $program_id
