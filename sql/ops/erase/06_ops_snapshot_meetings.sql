-- Erasure step (analytics/ops/erasure.server.ts): deletes what mentions one participant, in
-- the order of the file names (the pairs go after what hangs off them). Parameters:
-- $program_id, $participant_id. The same predicate counts the rows in ops/erasure_found.sql.
delete from ops_snapshot_meetings
where program_id = $program_id
  and (snapshot_id, pair_id) in (select snapshot_id, pair_id from ops_snapshot_pairs where program_id = $program_id and (mentor_id = $participant_id or mentee_id = $participant_id))
