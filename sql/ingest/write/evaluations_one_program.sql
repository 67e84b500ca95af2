-- Inserts the export's evaluations (one row per answer) when the export holds one program,
-- $program_id.
insert into evaluations (program_id, pair_id, respondent, phase, submitted_at, satisfaction, chemistry, would_continue, comment)
select $program_id, pair_id, respondent, phase, submitted_at, satisfaction, chemistry, would_continue, comment
from ingest_typ_evaluations
