/**
 * One seeded run of a strategy and its evaluation: the unit of work of the worker threads
 * (and of the main thread when there are none). Pure.
 */
import { evaluateMatching, type EvaluationContext, type RunMetrics } from "./evaluate.ts";
import { randomStrategy, stablePreferences, stableStrategy, type StablePreferences } from "./strategies.ts";

export interface RunTask {
  index: number;
  strategy: "random" | "stable";
  seed: number;
}

export interface Runner {
  run(task: RunTask): RunMetrics;
}

/** The evaluation context, plus the stable preference lists when the caller computed them once. */
export interface RunnerContext extends EvaluationContext {
  stablePrefs?: StablePreferences | null;
}

export function createRunner(ctx: RunnerContext): Runner {
  let prefs: StablePreferences | null = ctx.stablePrefs ?? null;
  const stableCache = new Map<number, Float64Array>();
  return {
    run(task) {
      if (task.strategy === "random") return evaluateMatching(ctx, randomStrategy(ctx, task.seed));
      prefs ??= stablePreferences(ctx);
      return evaluateMatching(ctx, stableStrategy(ctx, task.seed, prefs), stableCache);
    },
  };
}
