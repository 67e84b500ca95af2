/**
 * What the simulation form offers, shared by the server and the page (pure, no Node import):
 * the strategies (the same names as analytics/matching/strategies.ts — a test checks), the
 * weights the form may change, the limits of runs and bootstrap refits, and who may start
 * simulations (docs/decisions/0012-simulation-jobs.md).
 */
export const SIMULATION_STRATEGIES = ["recorded", "random", "greedy", "optimal", "stable", "reach", "learned"] as const;
export const WEIGHT_NAMES = ["topic_fit", "same_city", "age_gap", "cross_company", "job_level_gap", "shared_language"] as const;
export type WeightName = (typeof WEIGHT_NAMES)[number];
/** The quotas the form offers, in percent (the same names as analytics/matching/quotas.ts). */
export const QUOTA_NAMES = ["cross_generation", "cross_company", "organization_coverage", "generation_coverage"] as const;
/** A quota's name (quotas.ts solves them). */
export type QuotaName = (typeof QUOTA_NAMES)[number];
export const LIMITS = { runs: { min: 1, max: 200, default: 20 }, bootstrap: { min: 10, max: 500, default: 100 } } as const;

/** What a simulation runs when nothing is said, on the page and in `npm run simulate` alike. */
export const SIMULATION_DEFAULTS = {
  strategies: SIMULATION_STRATEGIES,
  runs: LIMITS.runs.default,
  bootstrap: LIMITS.bootstrap.default,
  seed: 1,
} as const;

/**
 * The roles that may start a simulation and keep its result as a stored run: the operator and
 * HR, who act on matchings. CSR directors and sponsors read the kept runs (aggregates, small
 * groups hidden) and start nothing.
 */
export const SIMULATION_RUNNER_ROLES = ["admin", "hr"] as const;

export function canRunSimulations(role: string): boolean {
  return (SIMULATION_RUNNER_ROLES as readonly string[]).includes(role);
}

/**
 * Running jobs: at most `perUser` per user, inside a server-wide limit (default `total`, set
 * with BINOME_SIMULATIONS_MAX) sized to the cores and memory a large simulation takes.
 */
export const JOB_LIMITS = { perUser: 1, total: 2 } as const;
