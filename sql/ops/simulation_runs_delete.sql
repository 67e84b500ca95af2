-- Deletes a program's stored simulation runs (a purge). Parameters: $program_id.
delete from simulation_runs where program_id = $program_id
