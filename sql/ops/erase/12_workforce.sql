-- Erasure step (analytics/ops/erasure.server.ts): deletes what mentions one participant, in
-- the order of the file names. A person of the workforce (issue 13) is erased by the same
-- identifier: for a participant, person_id = participant_id. Parameters: $program_id,
-- $participant_id. The same predicate counts the rows in ops/erasure_found.sql.
delete from workforce
where program_id = $program_id and person_id = $participant_id
