-- Erasure step (analytics/ops/erasure.server.ts): deletes what mentions one participant, in
-- the order of the file names (the pairs go after what hangs off them). Parameters:
-- $program_id, $participant_id. The same predicate counts the rows in ops/erasure_found.sql.
delete from participants
where program_id = $program_id and participant_id = $participant_id
