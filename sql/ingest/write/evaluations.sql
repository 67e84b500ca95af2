-- Inserts the export's evaluations (one row per answer), with the program of their pair.
insert into evaluations (program_id, pair_id, respondent, phase, submitted_at, satisfaction, chemistry, would_continue, comment)
select p.program_id, t.pair_id, t.respondent, t.phase, t.submitted_at, t.satisfaction, t.chemistry, t.would_continue, t.comment
from ingest_typ_evaluations t
join ingest_typ_pairs p on p.pair_id = t.pair_id
