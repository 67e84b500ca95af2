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
import { encodeProgram, FEATURE_COUNT, FEATURES, programScorer, reachBonus, reachScores, scoreProgram, type EncodedProgram, type ScoredProblem } from "./compatibility.ts";
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
import { crossFittedModels, LearnedInsufficientError, learnedPairWeight, learnedStrategy } from "./learned.ts";
import type { CandidateGraph } from "./sparse-assignment.ts";
import { buildSparseProblem, edgeWeightsOf, reachPairWeight, sparseAssign, sparseGreedy, sparseStablePreferences, SPARSE_K, type SparseProblem } from "./sparse-mode.ts";
import { solveAssignmentWithCapacities } from "./assignment.ts";
import { runQuotas, type QuotaReport } from "./quota-run.ts";
import { QUOTA_NAMES, type Quotas } from "./quotas.ts";
import { deriveSeed } from "./rng.ts";
import { labelledFeatures, validateOutOfTime, type Validation } from "./validation.ts";
import { createRunner, type RunnerContext, type RunTask } from "./runner.ts";
import { startTsWorker } from "./ts-worker.ts";
import { greedyStrategy, optimalStrategy, recordedStrategy, stablePreferences, type StrategyName } from "./strategies.ts";
import { pairLabel, type ProgramData, type StrategyResult } from "./types.ts";
import type { Weights } from "./weights.ts";

/**
 * The simulations score every (mentor, mentee) pair in a dense matrix (8 bytes a pair, plus
 * the reach scores and the stable preference lists): 25 million pairs (e.g. 5,000 × 5,000)
 * is about 0.6 GB. Beyond, they run in the sparse mode (sparse-mode.ts): a candidate graph
 * of each mentee's and each mentor's best SPARSE_K pairs, scores computed on demand.
 */
export const MAX_DENSE_PAIRS = 25_000_000;

/** Why a figure of the sparse mode reads differently (codes; the page says them in the reader's language). */
export const SPARSE_NOTES = ["blocking_pairs_candidates", "quotas_not_priced"] as const;
export type SparseNote = (typeof SPARSE_NOTES)[number];

export interface SparseSolve {
  strategy: string;
  graph: CandidateGraph;
  cpuMs: number;
  /** The total weight of the solution (as scipy's, to compare). */
  total: number;
}

/** How a simulation in the sparse mode was run (absent: the dense mode, every pair scored). */
export interface SparseInfo {
  /** Best mentors kept per mentee and best mentees per mentor. */
  k: number;
  /** Candidate pairs (mentee, mentor) in the graph, out of `pairs` possible. */
  candidates: number;
  pairs: number;
  /** The dense limit that was exceeded (mentors × mentees). */
  dense_limit: number;
  /**
   * optimal's total compatibility on the candidates below the dense optimum, relative (0.001 =
   * 0.1 %); null when the dense problem is too large to solve (bench/simulate.ts measures it at 8,000).
   */
  gap_to_dense: number | null;
  /** Mentees the candidates left unmatched and who were given every allowed mentor (optimal, reach, learned). */
  widened: Record<string, number>;
  notes: SparseNote[];
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
  /** Quotas to price for optimal and learned (quota-run.ts); none by default. Not priced in the sparse mode. */
  quotas?: Quotas;
  /** Above this many mentor × mentee pairs, the sparse mode (default MAX_DENSE_PAIRS). */
  maxDensePairs?: number;
  /** Candidates per mentee and per mentor in the sparse mode (default SPARSE_K). */
  sparseK?: number;
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
  /** Present when the program was simulated in the sparse mode. */
  sparse?: SparseInfo;
}

export interface SimulationOutput {
  result: SimulationResult;
  /** The pairs of a strategy that was run (run 0 for random and stable), for proposals. */
  matching(strategy: StrategyName): StrategyResult;
  enc: EncodedProgram;
  /** The dense compatibility matrix (mentee × mentor); empty in the sparse mode: use scoreOf. */
  scores: Float64Array;
  /** The compatibility of one pair (−Infinity = forbidden), in either mode. */
  scoreOf: (mentee: number, mentor: number) => number;
  /** The sparse mode's exact solves (optimal, reach, learned): the graph solved and the solver's CPU time. */
  sparseSolves: SparseSolve[];
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

/** optimal's total compatibility on the candidates against the dense optimum (the dense problem must fit in memory). */
function gapToDense(sparse: SparseProblem, optimal: StrategyResult): number {
  const { rows, cols, scorer } = sparse;
  const dense = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) scorer.scoreRow(i, dense.subarray(i * cols, (i + 1) * cols));
  const best = solveAssignmentWithCapacities(dense, rows, cols, sparse.capacities, { maximize: true }).total;
  let total = 0;
  for (let k = 0; k < optimal.mentee.length; k++) total += dense[optimal.mentee[k] * cols + optimal.mentor[k]];
  return best > 0 ? Math.max(0, (best - total) / best) : 0;
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

  const enc = encodeProgram(program.kind, program.mentors, program.mentees);
  const rows = enc.mentees.count;
  const cols = enc.mentors.count;
  const denseLimit = options.maxDensePairs ?? MAX_DENSE_PAIRS;
  let scores: Float64Array;
  let problem: ScoredProblem;
  let sparse: SparseProblem | null = null;
  if (rows * cols <= denseLimit) {
    // Shared memory: the worker threads read the scores without a copy.
    scores = new Float64Array(new SharedArrayBuffer(Math.max(1, rows * cols) * 8), 0, rows * cols);
    problem = scoreProgram(enc, weights, scores);
  } else {
    const scorer = programScorer(enc, weights);
    sparse = buildSparseProblem(scorer, options.sparseK ?? SPARSE_K, deriveSeed(seed, "candidates"));
    scores = new Float64Array(0);
    problem = { rows, cols, scores, capacities: scorer.capacities, warnings: scorer.warnings };
  }
  const scoreOf = sparse ? sparse.scorer.score : (i: number, j: number) => scores[i * cols + j];
  warnings.push(...problem.warnings);
  lap(sparse ? "candidates_ms" : "score_ms");

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
  const stablePrefs = options.strategies.includes("stable") ? (sparse ? sparseStablePreferences(sparse) : stablePreferences(problem, true)) : null;
  lap("stable_preferences_ms");
  const ctx: RunnerContext = {
    enc,
    rows,
    cols,
    scores,
    capacities: problem.capacities,
    targetGapYears: targetGap,
    predictor,
    stablePrefs,
    ...(sparse ? { sparse: { score: sparse.scorer.score, graph: sparse.graph }, sparseProblem: sparse } : {}),
  };
  const widened: Record<string, number> = {};
  const sparseSolves: SparseSolve[] = [];
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
    } else if (strategy === "greedy") result = sparse ? sparseGreedy(sparse) : greedyStrategy(problem);
    else if (strategy === "optimal") {
      if (sparse) {
        const solved = sparseAssign(sparse, sparse.graph.weights, sparse.scorer.score);
        widened[strategy] = solved.repaired;
        sparseSolves.push({ strategy, ...solved.solved, total: solved.total });
        result = solved;
      } else {
        result = optimalStrategy(problem);
        assignWeights.push({ strategy, weights: scores });
      }
    } else if (strategy === "reach") {
      if (sparse) {
        const solved = sparseAssign(sparse, edgeWeightsOf(sparse, (i, j, s) => s + reachBonus(enc, weights, i, j)), reachPairWeight(enc, weights, sparse.scorer.score));
        widened[strategy] = solved.repaired;
        sparseSolves.push({ strategy, ...solved.solved, total: solved.total });
        result = solved;
      } else result = optimalStrategy(problem, reachScores(enc, problem, weights));
    } else if (strategy === "learned" && sparse) {
      if (fitted.status !== "ok") {
        skipped.push({ strategy, reason: `no outcome model to learn from: ${fitted.message}` });
        tick(strategy);
        continue;
      }
      try {
        const weight = learnedPairWeight(enc, targetGap, crossFittedModels({ rows, x, y, owner, folds, seed: deriveSeed(seed, "learned") }));
        const allowed = sparse.scorer.allowed;
        const solved = sparseAssign(sparse, edgeWeightsOf(sparse, weight), (i, j) => (allowed(i, j) ? weight(i, j) : -Infinity));
        widened[strategy] = solved.repaired;
        sparseSolves.push({ strategy, ...solved.solved, total: solved.total });
        result = solved;
      } catch (error) {
        if (!(error instanceof LearnedInsufficientError)) throw error;
        skipped.push({ strategy, reason: `too few labelled pairs to cross-fit: ${error.message}` });
        tick(strategy);
        continue;
      }
    } else if (strategy === "learned") {
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
  // The sparse mode's score function cannot be sent to worker threads: its seeded runs stay here.
  const workers = sparse ? 0 : (options.workers ?? (seededTasks.length >= 16 ? defaultWorkers() : 0));
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
      found = createRunner(ctx).draw({ index: 0, strategy, seed: runSeed });
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
  const quotaReport: QuotaReport | null = !quotas
    ? null
    : sparse
      ? { quotas, strategies: [], note: "the sparse mode (a program above the dense limit) does not price quotas: the exact integer program needs every allowed pair", note_code: "sparse_mode" }
      : await runQuotas({ program, enc, rows, cols, capacities: problem.capacities, targetGapYears: targetGap, predictor }, quotas, assignWeights);
  lap("quotas_ms");
  let sparseInfo: SparseInfo | undefined;
  if (sparse) {
    sparseInfo = {
      k: sparse.k,
      candidates: sparse.graph.colIdx.length,
      pairs: rows * cols,
      dense_limit: denseLimit,
      gap_to_dense: matchings.has("optimal") && rows * cols <= MAX_DENSE_PAIRS ? gapToDense(sparse, matchings.get("optimal")!) : null,
      widened,
      notes: [
        ...(options.strategies.some((s) => s !== "recorded") ? (["blocking_pairs_candidates"] as const) : []),
        ...(quotas ? (["quotas_not_priced"] as const) : []),
      ],
    };
    lap("gap_to_dense_ms");
  }
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
      ...(sparseInfo ? { sparse: sparseInfo } : {}),
    },
    matching: drawSeeded,
    enc,
    scores,
    scoreOf,
    sparseSolves,
    timings,
  };
}
