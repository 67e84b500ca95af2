/**
 * A whole simulation of one program, without the database: scores, outcome model, every
 * requested strategy (the seeds of random and stable in worker threads), evaluation and
 * summary. The result depends only on the input, the options and the seed, never on the
 * number of workers (each run's seed derives from the master seed, the strategy and the run
 * index; results are put back in run order).
 */
import { SKIP_REASONS } from "./reasons.ts";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { encodeProgram, FEATURE_COUNT, FEATURES, pairFeatures, reachScores, scoreProgram, type EncodedProgram } from "./compatibility.ts";
import { evaluateMatching, gainOver, summarizeRuns, type RunMetrics, type StrategySummary } from "./evaluate.ts";
import {
  auc,
  brier,
  calibrationByDecile,
  fitOutcomeModel,
  predict,
  predictorParams,
  type CalibrationBin,
  type FeatureEffect,
  type LogisticModel,
  type OutcomeModelResult,
} from "./outcome-model.ts";
import { LearnedInsufficientError, learnedStrategy } from "./learned.ts";
import { runQuotas, type QuotaReport } from "./quota-run.ts";
import { QUOTA_NAMES, type Quotas } from "./quotas.ts";
import { deriveSeed } from "./rng.ts";
import { labelledFeatures, validateOutOfTime, type Validation } from "./validation.ts";
import { createRunner, type RunnerContext, type RunTask } from "./runner.ts";
import { startTsWorker } from "./ts-worker.ts";
import { greedyStrategy, optimalStrategy, randomStrategy, recordedStrategy, stablePreferences, stableStrategy, type StrategyName } from "./strategies.ts";
import { pairLabel, type ProgramData, type StrategyResult } from "./types.ts";
import type { Weights } from "./weights.ts";

/**
 * The simulations score every (mentor, mentee) pair in a dense matrix (8 bytes a pair, plus
 * the reach scores and the stable preference lists): 25 million pairs (e.g. 5,000 × 5,000)
 * is about 0.6 GB. Beyond, the sparse top-k mode of the solver would be needed for optimal
 * and reach, and candidate lists for the other strategies (not built yet).
 */
export const MAX_DENSE_PAIRS = 25_000_000;

export class ProgramTooLargeError extends Error {
  constructor(readonly mentors: number, readonly mentees: number) {
    super(
      `the program has ${mentors} mentors × ${mentees} mentees = ${mentors * mentees} candidate pairs; ` +
        `simulations handle up to ${MAX_DENSE_PAIRS} (dense scores). Simulate a sub-cohort (e.g. one organization) instead.`,
    );
    this.name = "ProgramTooLargeError";
  }
}

export interface SimulationOptions {
  strategies: readonly StrategyName[];
  /** Runs (seeds) of random and stable. */
  runs: number;
  seed: number;
  weights: Weights;
  /** Worker threads for the seeded runs; 0 = in this thread. Default: up to 4 by the machine, 0 for fewer than 16 runs. */
  workers?: number;
  bootstrap?: number;
  folds?: number;
  /** Quotas to price for optimal and learned (quota-run.ts); none by default. */
  quotas?: Quotas;
  onProgress?: (done: number, total: number, label: string) => void;
}

export interface SimulationInput {
  program: ProgramData;
  /** Programs whose labelled pairs train the outcome model (usually the program itself). */
  training: ProgramData[];
  /** The program's earlier editions (previous_program_id), for the out-of-time validation. */
  earlier?: ProgramData[];
}

export type ModelReport =
  | {
      status: "ok";
      trained_on: string[];
      labelled: number;
      successes: number;
      failures: number;
      intercept: number;
      effects: FeatureEffect[];
      held_out: { method: string; auc: number | null; brier: number; brier_base_rate: number; calibration: { bin: number; n: number; mean_predicted: number; observed_rate: number }[] };
      bootstrap_refits: number;
      /** When the model was trained on other programs: its quality on this program's labelled pairs. */
      held_out_program: HeldOutProgram | null;
    }
  | { status: "insufficient_data"; trained_on: string[]; labelled: number; successes: number; failures: number; message: string };

export interface HeldOutProgram {
  program_id: string;
  labelled: number;
  successes: number;
  auc: number | null;
  brier: number;
  brier_base_rate: number;
  calibration: CalibrationBin[];
}

export interface SimulationResult {
  program: { program_id: string; name: string; kind: string; mentors: number; mentees: number; recorded_pairs: number; is_new_cohort: boolean };
  parameters: { strategies: string[]; runs: number; seed: number; bootstrap: number; folds: number; weights: Weights; quotas?: Quotas };
  model: ModelReport;
  strategies: StrategySummary[];
  /** Out-of-time validation when the data allow it, else why not; the 5-fold CV is model.held_out. */
  validation: Validation;
  /** When quotas were asked for: each quota's price for optimal and learned. */
  quotas?: QuotaReport;
  /** Strategies asked for but not applicable (recorded for a new cohort). */
  skipped: { strategy: string; reason: string }[];
  warnings: string[];
}

export interface SimulationOutput {
  result: SimulationResult;
  /** The pairs of a strategy that was run (run 0 for random and stable), for proposals. */
  matching(strategy: StrategyName): StrategyResult;
  enc: EncodedProgram;
  scores: Float64Array;
  timings: Record<string, number>;
}

export { labelledFeatures } from "./validation.ts";

/** The model's quality on the labelled pairs of a program it was not trained on (null without both outcomes). */
function heldOutProgram(model: LogisticModel, program: ProgramData, targetGapYears: number): HeldOutProgram | null {
  const { x, y } = labelledFeatures([program], targetGapYears);
  let successes = 0;
  for (const v of y) successes += v;
  if (successes === 0 || successes === y.length) return null;
  const predicted = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) predicted[i] = predict(model, x, i * FEATURE_COUNT);
  const base = successes / y.length;
  return {
    program_id: program.programId,
    labelled: y.length,
    successes,
    auc: auc(predicted, y),
    brier: brier(predicted, y),
    brier_base_rate: base * (1 - base),
    calibration: calibrationByDecile(predicted, y),
  };
}

export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

function startWorker(workerData: RunnerContext): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./worker.js", import.meta.url), { workerData });
  return startTsWorker(new URL("./worker.ts", import.meta.url).href, workerData);
}

/** Runs the tasks on `workers` threads (0 = here), handing out one task at a time; results in task order. */
async function runTasks(ctx: RunnerContext, tasks: RunTask[], workers: number, onDone: () => void): Promise<RunMetrics[]> {
  const results: RunMetrics[] = new Array(tasks.length);
  if (workers <= 0 || tasks.length === 0) {
    const runner = createRunner(ctx);
    for (const task of tasks) {
      results[task.index] = runner.run(task);
      onDone();
    }
    return results;
  }
  let next = 0;
  const threads = Array.from({ length: Math.min(workers, tasks.length) }, () => startWorker(ctx));
  try {
    await Promise.all(
      threads.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next < tasks.length) worker.postMessage(tasks[next++]);
              else {
                worker.postMessage(null);
                resolve();
              }
            };
            worker.on("message", (message: { index: number; metrics?: RunMetrics; error?: string }) => {
              if (message.error || !message.metrics) {
                reject(new Error(`simulation worker: run ${message.index}: ${message.error}`));
                return;
              }
              results[message.index] = message.metrics;
              onDone();
              send();
            });
            worker.on("error", reject);
            worker.on("exit", (code) => {
              if (code !== 0) reject(new Error(`simulation worker exited with code ${code}`));
            });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
  return results;
}

export async function runSimulation(input: SimulationInput, options: SimulationOptions): Promise<SimulationOutput> {
  const timings: Record<string, number> = {};
  let clock = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round((now - clock) * 10) / 10;
    clock = now;
  };
  const { program } = input;
  const { weights, seed } = options;
  const runs = options.runs;
  const bootstrap = options.bootstrap ?? 200;
  const folds = options.folds ?? 5;
  const targetGap = weights.age_gap.target_years;
  const warnings: string[] = [];

  if (program.mentors.length * program.mentees.length > MAX_DENSE_PAIRS) throw new ProgramTooLargeError(program.mentors.length, program.mentees.length);
  const enc = encodeProgram(program.kind, program.mentors, program.mentees);
  const rows = enc.mentees.count;
  const cols = enc.mentors.count;
  // Shared memory: the worker threads read the scores without a copy.
  const scores = new Float64Array(new SharedArrayBuffer(Math.max(1, rows * cols) * 8), 0, rows * cols);
  const problem = scoreProgram(enc, weights, scores);
  warnings.push(...problem.warnings);
  lap("score_ms");

  const trainedOn = input.training.map((p) => p.programId);
  const { x, y, owner } = labelledFeatures(input.training, targetGap, program);
  const fitted: OutcomeModelResult = fitOutcomeModel(x, y, FEATURES, { seed: deriveSeed(seed, "outcome-model"), bootstrap, folds });
  const model: ModelReport =
    fitted.status === "ok"
      ? {
          status: "ok",
          trained_on: trainedOn,
          labelled: fitted.labelled,
          successes: fitted.successes,
          failures: fitted.failures,
          intercept: fitted.intercept,
          effects: fitted.effects,
          held_out: fitted.heldOut,
          bootstrap_refits: fitted.bootstrap.count,
          held_out_program: trainedOn.includes(program.programId) ? null : heldOutProgram(fitted.model, program, targetGap),
        }
      : { ...fitted, trained_on: trainedOn };
  const predictor = fitted.status === "ok" ? predictorParams(fitted) : null;
  lap("model_ms");

  // The stable preference lists: computed once, shared with the workers.
  const stablePrefs = options.strategies.includes("stable") ? stablePreferences(problem, true) : null;
  lap("stable_preferences_ms");
  const ctx: RunnerContext = { enc, rows, cols, scores, capacities: problem.capacities, targetGapYears: targetGap, predictor, stablePrefs };
  const summaries: StrategySummary[] = [];
  const matchings = new Map<StrategyName, StrategyResult>();
  const skipped: { strategy: string; reason: string }[] = [];
  const seededTasks: RunTask[] = [];
  for (const strategy of options.strategies) {
    if (strategy === "random" || strategy === "stable") {
      for (let r = 0; r < runs; r++) seededTasks.push({ index: seededTasks.length, strategy, seed: deriveSeed(seed, strategy, r) });
    }
  }
  const total = seededTasks.length + options.strategies.filter((s) => s !== "random" && s !== "stable").length;
  let done = 0;
  const tick = (label: string) => options.onProgress?.(++done, total, label);

  const single = new Map<StrategyName, RunMetrics>();
  const assignWeights: { strategy: string; weights: Float64Array }[] = [];
  for (const strategy of options.strategies) {
    let result: StrategyResult | null = null;
    if (strategy === "recorded") {
      if (program.pairs.length === 0) {
        skipped.push({ strategy, reason: SKIP_REASONS.newCohort });
        tick(strategy);
        continue;
      }
      const mentorIndex = new Map(program.mentors.map((p, j) => [p.id, j]));
      const menteeIndex = new Map(program.mentees.map((p, i) => [p.id, i]));
      result = recordedStrategy(
        rows,
        program.pairs.map((p) => ({ mentee: menteeIndex.get(p.menteeId)!, mentor: mentorIndex.get(p.mentorId)! })),
      );
    } else if (strategy === "greedy") result = greedyStrategy(problem);
    else if (strategy === "optimal") {
      result = optimalStrategy(problem);
      assignWeights.push({ strategy, weights: scores });
    }
    else if (strategy === "reach") result = optimalStrategy(problem, reachScores(enc, problem, weights));
    else if (strategy === "learned") {
      if (fitted.status !== "ok") {
        skipped.push({ strategy, reason: `no outcome model to learn from: ${fitted.message}` });
        tick(strategy);
        continue;
      }
      try {
        const learned = learnedStrategy({ enc, rows, cols, scores, capacities: problem.capacities, targetGapYears: targetGap, x, y, owner, folds, seed: deriveSeed(seed, "learned") });
        result = learned.matching;
        assignWeights.push({ strategy, weights: learned.weights });
      } catch (error) {
        if (!(error instanceof LearnedInsufficientError)) throw error;
        skipped.push({ strategy, reason: `too few labelled pairs to cross-fit: ${error.message}` });
        tick(strategy);
        continue;
      }
    } else {
      // random and stable: their metrics come from the task runs; run 0 is the proposal, drawn on demand.
      continue;
    }
    matchings.set(strategy, result);
    single.set(strategy, evaluateMatching(ctx, result));
    lap(`${strategy}_ms`);
    tick(strategy);
  }
  const workers = options.workers ?? (seededTasks.length >= 16 ? defaultWorkers() : 0);
  const seeded = await runTasks(ctx, seededTasks, workers, () => tick("seeded runs"));
  lap("seeded_runs_ms");

  const recordedRuns = single.get("recorded");
  for (const strategy of options.strategies) {
    const runsOf =
      strategy === "random" || strategy === "stable" ? seededTasks.filter((t) => t.strategy === strategy).map((t) => seeded[t.index]) : single.has(strategy) ? [single.get(strategy)!] : [];
    if (runsOf.length === 0) continue;
    const summary = summarizeRuns(strategy, runsOf);
    if (recordedRuns && strategy !== "recorded") summary.gain_over_recorded = gainOver([recordedRuns], runsOf);
    summaries.push(summary);
  }
  lap("summary_ms");
  const drawSeeded = (strategy: StrategyName): StrategyResult => {
    let found = matchings.get(strategy);
    if (!found && (strategy === "random" || strategy === "stable")) {
      const runSeed = deriveSeed(seed, strategy, 0);
      found = strategy === "random" ? randomStrategy(problem, runSeed) : stableStrategy(problem, runSeed, stablePrefs ?? undefined);
      matchings.set(strategy, found);
    }
    if (!found) throw new Error(`no ${strategy} matching in this simulation`);
    return found;
  };
  const validation = validateOutOfTime(
    program,
    input.earlier ?? [],
    targetGap,
    summaries.map((s) => ({ strategy: s.strategy, matching: drawSeeded(s.strategy as StrategyName) })),
  );
  lap("validation_ms");
  const quotas = options.quotas && QUOTA_NAMES.some((q) => (options.quotas![q] ?? 0) > 0) ? options.quotas : null;
  const quotaReport = quotas
    ? await runQuotas({ program, enc, rows, cols, capacities: problem.capacities, targetGapYears: targetGap, predictor }, quotas, assignWeights)
    : null;
  lap("quotas_ms");
  return {
    result: {
      program: {
        program_id: program.programId,
        name: program.name,
        kind: program.kind,
        mentors: cols,
        mentees: rows,
        recorded_pairs: program.pairs.length,
        is_new_cohort: program.pairs.length === 0,
      },
      parameters: { strategies: [...options.strategies], runs, seed, bootstrap, folds, weights, ...(quotas ? { quotas } : {}) },
      model,
      strategies: summaries,
      validation,
      ...(quotaReport ? { quotas: quotaReport } : {}),
      skipped,
      warnings,
    },
    matching: drawSeeded,
    enc,
    scores,
    timings,
  };
}
