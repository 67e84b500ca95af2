-- One row: how many rows mention one participant, per table (columns in the order of the
-- erasure steps, ops/erase/*.sql, whose predicates these are). Parameters: $program_id,
-- $participant_id. A person of the workforce (issue 13) is found by person_id.
select
  (select count(*) from meetings where program_id = $program_id and pair_id in (
      select pair_id from pairs where program_id = $program_id and (mentor_id = $participant_id or mentee_id = $participant_id))) as meetings,
  (select count(*) from pair_topics where program_id = $program_id and pair_id in (
      select pair_id from pairs where program_id = $program_id and (mentor_id = $participant_id or mentee_id = $participant_id))) as pair_topics,
  (select count(*) from evaluations where program_id = $program_id and pair_id in (
      select pair_id from pairs where program_id = $program_id and (mentor_id = $participant_id or mentee_id = $participant_id))) as evaluations,
  (select count(*) from pairs where program_id = $program_id and (mentor_id = $participant_id or mentee_id = $participant_id)) as pairs,
  (select count(*) from participants where program_id = $program_id and participant_id = $participant_id) as participants,
  (select count(*) from ops_snapshot_meetings where program_id = $program_id and (snapshot_id, pair_id) in (
      select snapshot_id, pair_id from ops_snapshot_pairs where program_id = $program_id and (mentor_id = $participant_id or mentee_id = $participant_id))) as ops_snapshot_meetings,
  (select count(*) from ops_snapshot_pair_topics where program_id = $program_id and (snapshot_id, pair_id) in (
      select snapshot_id, pair_id from ops_snapshot_pairs where program_id = $program_id and (mentor_id = $participant_id or mentee_id = $participant_id))) as ops_snapshot_pair_topics,
  (select count(*) from ops_snapshot_evaluations where program_id = $program_id and (snapshot_id, pair_id) in (
      select snapshot_id, pair_id from ops_snapshot_pairs where program_id = $program_id and (mentor_id = $participant_id or mentee_id = $participant_id))) as ops_snapshot_evaluations,
  (select count(*) from ops_snapshot_pairs where program_id = $program_id and (mentor_id = $participant_id or mentee_id = $participant_id)) as ops_snapshot_pairs,
  (select count(*) from ops_snapshot_participants where program_id = $program_id and participant_id = $participant_id) as ops_snapshot_participants,
  (select count(*) from simulation_runs where program_id = $program_id and (contains(results, '"' || $participant_id || '"') or contains(parameters, '"' || $participant_id || '"'))) as simulation_runs,
  (select count(*) from workforce where program_id = $program_id and person_id = $participant_id) as workforce,
  (select count(*) from ops_snapshot_workforce where program_id = $program_id and person_id = $participant_id) as ops_snapshot_workforce
