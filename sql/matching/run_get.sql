-- One row: a stored simulation run. Parameters: $run_id.
select run_id, created_at, program_id, strategies, seed, runs, parameters, code_version, results, elapsed_ms
from simulation_runs
where run_id = $run_id
