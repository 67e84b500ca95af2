-- Inserts one simulation run and returns its run_id (one more than the largest so far).
-- Parameters: $program_id, $strategies (comma-separated), $seed, $runs, $parameters (JSON text),
-- $code_version, $results (JSON text), $elapsed_ms.
insert into simulation_runs (run_id, created_at, program_id, strategies, seed, runs, parameters, code_version, results, elapsed_ms)
select coalesce(max(run_id), 0) + 1, current_timestamp, $program_id, string_split($strategies, ','), $seed, $runs, $parameters, $code_version, $results, $elapsed_ms
from simulation_runs
returning run_id
