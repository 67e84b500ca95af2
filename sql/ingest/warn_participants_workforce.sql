-- Warnings, not errors (issue 13): the participants of a program whose export has a workforce
-- but who are missing from it; they are left out of the impact figures. One row per such
-- participant record (rec of ingest_typ_participants), at most $cap, with the total.
-- Reads ingest_typ_participants, ingest_typ_workforce.
with missing as (
  select p.rec, p.participant_id
  from ingest_typ_participants p
  where p.program_id in (select program_id from ingest_typ_workforce where program_id is not null)
    and not exists (select 1 from ingest_typ_workforce w where w.program_id = p.program_id and w.person_id = p.participant_id)
)
select rec, participant_id, count(*) over () as n from missing order by rec limit $cap
