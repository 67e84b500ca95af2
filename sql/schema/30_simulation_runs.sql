-- One row per simulation run (one `simulate` call): what was asked (parameters, seed, weights),
-- the code version that ran it, and its results as JSON. Re-running with the same parameters,
-- seed and code version gives the same results, whatever the number of worker threads.
create table if not exists simulation_runs (
  run_id integer not null,
  created_at timestamp not null,
  program_id varchar not null,
  strategies varchar[] not null,
  seed bigint not null,
  runs integer not null,            -- seeds of random and stable
  parameters varchar not null,      -- JSON: strategies, runs, seed, bootstrap, folds, weights, workers
  code_version varchar not null,    -- git commit (+ "-dirty") or the package version
  results varchar not null,         -- JSON: SimulationResult (analytics/matching/simulation.ts)
  elapsed_ms double
)
