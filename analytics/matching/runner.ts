/**
 * One seeded run of a strategy and its evaluation: the unit of work of the worker threads
 * (and of the main thread when there are none). Pure.
 */
import { evaluateMatching, type EvaluationContext, type RunMetrics } from "./evaluate.ts";
import type { StrategyResult } from "./types.ts";
import { fillAfterStable, type SparseProblem } from "./sparse-mode.ts";
import { randomStrategy, stablePreferences, stableStrategy, type StablePreferences } from "./strategies.ts";

export interface RunTask {
  index: number;
  strategy: "random" | "stable";
  seed: number;
}

export interface Runner {
  run(task: RunTask): RunMetrics;
  /** The matching of a task, without its figures. */
  draw(task: RunTask): StrategyResult;
}

/** The evaluation context, plus the stable preference lists when the caller computed them once. */
export interface RunnerContext extends EvaluationContext {
  stablePrefs?: StablePreferences | null;
  /** The sparse mode's candidate graph (in this thread only: it holds the score function). */
  sparseProblem?: SparseProblem | null;
}

export function createRunner(ctx: RunnerContext): Runner {
  let prefs: StablePreferences | null = ctx.stablePrefs ?? null;
  const stableCache = new Map<number, Float64Array>();
  return {
    draw(task) {
      const sparse = ctx.sparseProblem ?? null;
      if (task.strategy === "random") return randomStrategy(ctx, task.seed, sparse?.scorer.allowed);
      if (sparse && !prefs) throw new Error("the sparse mode's stable preference lists are computed by the caller");
      prefs ??= stablePreferences(ctx);
      const stable = stableStrategy(ctx, task.seed, prefs);
      return sparse ? fillAfterStable(sparse, stable) : stable;
    },
    run(task) {
      return evaluateMatching(ctx, this.draw(task), task.strategy === "stable" ? stableCache : undefined);
    },
  };
}
