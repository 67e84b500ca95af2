-- Right of access: the stored simulation runs that name the participant. Parameters:
-- $program_id, $participant_id.
select run_id from simulation_runs
where program_id = $program_id
  and (contains(results, '"' || $participant_id || '"') or contains(parameters, '"' || $participant_id || '"'))
order by run_id
