-- Erasure step (analytics/ops/erasure.server.ts): deletes what mentions one participant, in
-- the order of the file names. The workforce rows of the undo snapshots (issue 13).
-- Parameters: $program_id, $participant_id. The same predicate counts the rows in
-- ops/erasure_found.sql.
delete from ops_snapshot_workforce
where program_id = $program_id and person_id = $participant_id
