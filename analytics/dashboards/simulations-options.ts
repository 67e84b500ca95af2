/**
 * What the simulation form offers, shared by the server and the page (pure, no Node import):
 * the strategies (the same names as analytics/matching/strategies.ts — a test checks), the
 * weights the form may change, and the limits of runs and bootstrap refits.
 */
export const SIMULATION_STRATEGIES = ["recorded", "random", "greedy", "optimal", "stable", "reach"] as const;
export const WEIGHT_NAMES = ["topic_fit", "same_city", "age_gap", "cross_company", "job_level_gap", "shared_language"] as const;
export type WeightName = (typeof WEIGHT_NAMES)[number];
export const LIMITS = { runs: { min: 1, max: 200, default: 20 }, bootstrap: { min: 10, max: 500, default: 100 } } as const;
