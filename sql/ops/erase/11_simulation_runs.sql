-- Erasure step (analytics/ops/erasure.server.ts): deletes what mentions one participant, in
-- the order of the file names (the pairs go after what hangs off them). Parameters:
-- $program_id, $participant_id. The same predicate counts the rows in ops/erasure_found.sql.
-- A stored simulation run of the program that names them (its pairs, its inputs) goes whole.
delete from simulation_runs
where program_id = $program_id
  and (contains(results, '"' || $participant_id || '"') or contains(parameters, '"' || $participant_id || '"'))
