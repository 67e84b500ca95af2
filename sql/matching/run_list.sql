-- One row per stored simulation run of a program, newest first. Parameters: $program_id.
select run_id, created_at, program_id, strategies, seed, runs, code_version, elapsed_ms
from simulation_runs
where program_id = $program_id
order by run_id desc
