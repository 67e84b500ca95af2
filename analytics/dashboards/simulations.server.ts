/**
 * The matching simulation page on the server: starts simulations (analytics/matching) in a
 * worker thread and tracks their progress in memory, keeps a run in DuckDB
 * (`simulation_runs`) on request, lists and reads stored runs, suppresses small fairness
 * groups for non-admin audiences, and lists a strategy's pairs for the roles allowed to see
 * individuals (the caller records the audit entry).
 */
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { canViewProgram, mayIdentify, type IndividualsScope, type Scope } from "../auth/scope.server.ts";
import type { Db } from "../db/database.server.ts";
import { loadSql, sqlRoot } from "../db/sql-files.server.ts";
import { ageGapYears, generationOf } from "../domain/generations.ts";
import { loadProgram, programsWithLabels } from "../matching/load.server.ts";
import { getRun, saveRun } from "../matching/runs.server.ts";
import type { ModelReport, SimulationResult } from "../matching/simulation.ts";
import { STRATEGIES, type StrategyName } from "../matching/strategies.ts";
import { pairLabel, type ProgramData } from "../matching/types.ts";
import { defaultWeights, parseWeights, type Weights } from "../matching/weights.ts";
import { DEFAULT_K } from "../metrics/suppression.ts";
import { suppressRows } from "./page-suppression.ts";
import { canRunSimulations, JOB_LIMITS, LIMITS, WEIGHT_NAMES, type WeightName } from "./simulations-options.ts";
import type { StrategyPairs, WorkerInput, WorkerMessage } from "./simulations-worker.ts";

export { STRATEGIES, type StrategyName } from "../matching/strategies.ts";
export { canRunSimulations, JOB_LIMITS, LIMITS, WEIGHT_NAMES, type WeightName } from "./simulations-options.ts";

export interface SimulationRequest {
  strategies: StrategyName[];
  runs: number;
  seed: number;
  weights: Partial<Record<WeightName, number>>;
  /** Bonus of the `reach` strategy for cross-generation pairs. */
  reachCrossGeneration?: number;
  bootstrap?: number;
  /** Complete weights (a replay of a stored run); replaces `weights` and the reach bonus. */
  fullWeights?: Weights;
}


/** Reads and checks the form of a simulation request; throws a RangeError naming the bad value. */
export function parseSimulationRequest(form: FormData): SimulationRequest {
  const strategies = form.getAll("strategy").map(String);
  if (strategies.length === 0) throw new RangeError("choose at least one strategy");
  for (const s of strategies) if (!(STRATEGIES as readonly string[]).includes(s)) throw new RangeError(`invalid strategy: ${JSON.stringify(s)}`);
  const int = (name: string, min: number, max: number, fallback: number) => {
    const raw = String(form.get(name) ?? "").trim();
    if (raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new RangeError(`invalid ${name}: ${JSON.stringify(raw)} (an integer from ${min} to ${max})`);
    return n;
  };
  const weights: Partial<Record<WeightName, number>> = {};
  for (const name of WEIGHT_NAMES) {
    const raw = String(form.get(`w_${name}`) ?? "").trim();
    if (raw === "") continue;
    const n = Number(raw.replace(",", "."));
    if (!Number.isFinite(n) || n < 0 || n > 10) throw new RangeError(`invalid weight ${name}: ${JSON.stringify(raw)} (0 to 10)`);
    weights[name] = n;
  }
  const reachRaw = String(form.get("reach_cross_generation") ?? "").trim();
  const reach = reachRaw === "" ? undefined : Number(reachRaw.replace(",", "."));
  if (reach !== undefined && (!Number.isFinite(reach) || reach < 0 || reach > 10)) throw new RangeError(`invalid reach bonus: ${JSON.stringify(reachRaw)}`);
  return {
    strategies: [...new Set(strategies)] as StrategyName[],
    runs: int("runs", LIMITS.runs.min, LIMITS.runs.max, LIMITS.runs.default),
    seed: int("seed", 0, 2 ** 31 - 1, 1),
    weights,
    reachCrossGeneration: reach,
    bootstrap: int("bootstrap", LIMITS.bootstrap.min, LIMITS.bootstrap.max, LIMITS.bootstrap.default),
  };
}

/** The default weights with the request's overrides, validated by the matching module. */
export function requestWeights(request: Pick<SimulationRequest, "weights" | "reachCrossGeneration">): Weights {
  const w = defaultWeights();
  const merged = {
    ...w,
    weights: { ...w.weights, ...request.weights },
    reach_bonus: { ...w.reach_bonus, ...(request.reachCrossGeneration !== undefined ? { cross_generation: request.reachCrossGeneration } : {}) },
  };
  return parseWeights(merged, "the simulation form");
}

// ---------------------------------------------------------------------------------------------
// Jobs: one simulation running (or finished) in a worker thread, kept in memory for an hour.
// A job belongs to the user who started it: only that user, and the operator, can read it,
// keep it or inspect its pairs; to anyone else it does not exist (docs/decisions/0012).

export interface JobStatus {
  id: string;
  program_id: string;
  status: "running" | "done" | "failed";
  done: number;
  total: number;
  label: string;
  error: string | null;
  /** Set once the run is kept in simulation_runs. */
  run_id: number | null;
  started_at: string;
}

/** Who asks for a job: the signed-in user (a Scope fits). Admin reads every job. */
export interface JobReader {
  readonly userId: string;
  readonly role: string;
}

interface Job extends JobStatus {
  userId: string;
  program: ProgramData;
  result: SimulationResult | null;
  pairs: Record<string, StrategyPairs> | null;
  finished: Promise<void>;
  elapsedMs: number;
}

const JOB_TTL_MS = 60 * 60 * 1000;
const store = globalThis as typeof globalThis & { __binomeSimulationJobs?: Map<string, Job>; __binomeSimulationStarting?: Map<symbol, string> };
const jobs = (store.__binomeSimulationJobs ??= new Map());
/** Slots taken by starts still loading their program (user id per slot), so that a burst cannot pass the limits. */
const starting = (store.__binomeSimulationStarting ??= new Map());

function prune(now = Date.now()): void {
  for (const [id, job] of jobs) if (job.status !== "running" && now - Date.parse(job.started_at) > JOB_TTL_MS) jobs.delete(id);
}

/**
 * The server-wide limit of running simulations: BINOME_SIMULATIONS_MAX, or JOB_LIMITS.total.
 * Throws a RangeError naming a bad value.
 */
export function simulationLimit(env: Record<string, string | undefined> = process.env): number {
  const raw = env.BINOME_SIMULATIONS_MAX?.trim();
  if (raw === undefined || raw === "") return JOB_LIMITS.total;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new RangeError(`invalid BINOME_SIMULATIONS_MAX: ${JSON.stringify(raw)} (an integer from 1 to 64)`);
  return n;
}

const tsxApi = (() => {
  const pkg = createRequire(import.meta.url).resolve("tsx/package.json");
  return pathToFileURL(join(dirname(pkg), "dist", "esm", "api", "index.mjs")).href;
})();

/** The worker's TypeScript source, found from the project's sql/ folder (works from the server build too). */
const workerUrl = pathToFileURL(join(dirname(sqlRoot), "analytics", "dashboards", "simulations-worker.ts")).href;

/** A start refused by a limit: `user` (that user already runs one) or `server` (the server-wide limit). */
export class TooManySimulationsError extends Error {
  constructor(
    readonly limit: "user" | "server",
    readonly max: number,
  ) {
    super(
      limit === "user"
        ? `You already have ${max === 1 ? "a simulation" : `${max} simulations`} running: wait for it to finish before starting another (at most ${max} per person).`
        : `${max} simulations are already running on this server (its limit): try again in a minute.`,
    );
    this.name = "TooManySimulationsError";
  }
}

/** A start by a role that may not run simulations (see canRunSimulations). */
export class SimulationNotAllowedError extends Error {
  constructor(role: string) {
    super(`Your role (${role}) does not start simulations: open a kept run below, or ask the program's HR or operator to run one.`);
    this.name = "SimulationNotAllowedError";
  }
}

function runningCount(userId?: string): number {
  let n = 0;
  for (const job of jobs.values()) if (job.status === "running" && (userId === undefined || job.userId === userId)) n++;
  for (const owner of starting.values()) if (userId === undefined || owner === userId) n++;
  return n;
}

/**
 * Starts a simulation of the program for its owner; returns the job id at once (null when the
 * program does not exist). Refused with TooManySimulationsError when the owner already runs
 * JOB_LIMITS.perUser jobs or the server runs simulationLimit() jobs, and with
 * SimulationNotAllowedError for a role that does not run simulations. The outcome model learns
 * from the program's labelled pairs, or, for a new cohort, from every other program that has some.
 */
export async function startSimulation(db: Db, programId: string, owner: JobReader, request: SimulationRequest): Promise<string | null> {
  if (!canRunSimulations(owner.role)) throw new SimulationNotAllowedError(owner.role);
  prune();
  const weights = request.fullWeights ? parseWeights(request.fullWeights, "the stored run") : requestWeights(request);
  // Checked and taken in one synchronous step: concurrent starts see each other's slot.
  if (runningCount(owner.userId) >= JOB_LIMITS.perUser) throw new TooManySimulationsError("user", JOB_LIMITS.perUser);
  const max = simulationLimit();
  if (runningCount() >= max) throw new TooManySimulationsError("server", max);
  const slot = Symbol(owner.userId);
  starting.set(slot, owner.userId);
  try {
    return await launch(db, programId, owner.userId, request, weights);
  } finally {
    starting.delete(slot);
  }
}

async function launch(db: Db, programId: string, userId: string, request: SimulationRequest, weights: Weights): Promise<string | null> {
  const program = await loadProgram(db, programId);
  if (!program) return null;
  const training: ProgramData[] = [];
  if (program.pairs.some((p) => pairLabel(p) !== null)) training.push(program);
  else {
    for (const id of (await programsWithLabels(db)).filter((id) => id !== programId)) {
      const other = await loadProgram(db, id);
      if (other) training.push(other);
    }
  }
  const id = randomUUID();
  const workerInput: WorkerInput = {
    input: { program, training },
    options: { strategies: request.strategies, runs: request.runs, seed: request.seed, weights, bootstrap: request.bootstrap },
  };
  const started = performance.now();
  const job: Job = {
    id,
    program_id: programId,
    status: "running",
    done: 0,
    total: 1,
    label: "",
    error: null,
    run_id: null,
    started_at: new Date().toISOString(),
    userId,
    program,
    result: null,
    pairs: null,
    finished: Promise.resolve(),
    elapsedMs: 0,
  };
  job.finished = new Promise<void>((resolve) => {
    const worker = new Worker(
      `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(workerUrl)}); })`,
      { eval: true, workerData: workerInput },
    );
    const fail = (message: string) => {
      if (job.status === "running") {
        job.status = "failed";
        job.error = message;
      }
      resolve();
    };
    worker.on("message", (message: WorkerMessage) => {
      if (message.type === "progress") {
        job.done = message.done;
        job.total = message.total;
        job.label = message.label;
      } else if (message.type === "done") {
        job.result = message.result;
        job.pairs = message.pairs;
        job.status = "done";
        job.done = job.total;
        job.elapsedMs = performance.now() - started;
        void worker.terminate();
        resolve();
      } else fail(message.message);
    });
    worker.on("error", (error) => fail(error.message));
    worker.on("exit", (code) => fail(`the simulation stopped (exit code ${code})`));
  });
  jobs.set(id, job);
  return id;
}

/** The job of that program, whoever owns it (internal: every reader goes through ownJob). */
function findJob(programId: string, jobId: string): Job | null {
  const job = jobs.get(jobId);
  return job && job.program_id === programId ? job : null;
}

/**
 * The job if it is of that program and the reader's own (or the reader is admin); null
 * otherwise. jobPairs does not check the owner: its callers ask getJobStatus first.
 */
function ownJob(programId: string, jobId: string, reader: JobReader): Job | null {
  const job = findJob(programId, jobId);
  return job && (job.userId === reader.userId || reader.role === "admin") ? job : null;
}

/** A job's progress: null when unknown, expired, of another program or of another user. */
export function getJobStatus(programId: string, jobId: string, reader: JobReader): JobStatus | null {
  const job = ownJob(programId, jobId, reader);
  if (!job) return null;
  const { id, program_id, status, done, total, label, error, run_id, started_at } = job;
  return { id, program_id, status, done, total, label, error, run_id, started_at };
}

/** Waits for a job to finish (tests, measurements). */
export async function waitForJob(programId: string, jobId: string, reader: JobReader): Promise<JobStatus | null> {
  await ownJob(programId, jobId, reader)?.finished;
  return getJobStatus(programId, jobId, reader);
}

/** Stores a finished job's result in simulation_runs (once); returns the run id (null: not the reader's, or not finished). */
export async function keepJob(db: Db, programId: string, jobId: string, reader: JobReader): Promise<number | null> {
  if (!canRunSimulations(reader.role)) return null;
  const job = ownJob(programId, jobId, reader);
  if (!job || job.status !== "done" || !job.result) return null;
  job.run_id ??= await saveRun(db, job.result, { workers: 0, elapsedMs: job.elapsedMs });
  return job.run_id;
}

// ---------------------------------------------------------------------------------------------
// Stored runs and the view of one result.

export interface StoredRunRow {
  run_id: number;
  created_at: string;
  strategies: string[];
  seed: number;
  runs: number;
  code_version: string;
  elapsed_ms: number | null;
}

export async function listStoredRuns(db: Db, programId: string): Promise<StoredRunRow[]> {
  return db.all<StoredRunRow>(loadSql("matching/run_list"), { program_id: programId });
}

export interface ComparisonRow {
  strategy: string;
  runs: number;
  pairs: number | null;
  coverage: number | null;
  compatibility_mean: number | null;
  predicted_success: number | null;
  predicted_success_low: number | null;
  predicted_success_high: number | null;
  cross_generation_rate: number | null;
  cross_company_rate: number | null;
  median_age_gap_years: number | null;
  blocking_pairs: number | null;
  fairness_gap_organization: number | null;
  fairness_gap_generation: number | null;
}

export interface FairnessRow {
  strategy: string;
  dimension: "organization" | "generation";
  group: string;
  label: string;
  mentees: number | null;
  coverage: number | null;
  predicted_success: number | null;
  success_per_mentee: number | null;
  suppressed: boolean;
  suppressed_fields: string[];
}

type ModelCounts = "labelled" | "successes" | "failures";
type FittedModel = Extract<ModelReport, { status: "ok" }>;

/**
 * The outcome model as one reader sees it: `trained_on` names only the programs the reader may
 * open, `other_programs` counts the rest; when the model learned from any program the reader
 * may not open, the counts of its labelled pairs (and the held-out base rate and calibration
 * bins, which are counts and rates of them) are null, since they belong partly to those programs.
 */
export type ModelView =
  | (Omit<FittedModel, ModelCounts | "held_out"> & {
      other_programs: number;
      labelled: number | null;
      successes: number | null;
      failures: number | null;
      held_out: Omit<FittedModel["held_out"], "brier_base_rate"> & { brier_base_rate: number | null };
    })
  | (Omit<Extract<ModelReport, { status: "insufficient_data" }>, ModelCounts> & {
      other_programs: number;
      labelled: number | null;
      successes: number | null;
      failures: number | null;
    });

/**
 * The model's provenance for a reader: admin sees it all; anyone else sees the ids of the
 * training programs in `openPrograms` and a number for the others, and no counts of labelled
 * pairs unless every training program is theirs to open.
 */
export function modelView(model: ModelReport, audience: "admin" | "hr" | "rse" | "sponsor", openPrograms: ReadonlySet<string>): ModelView {
  if (audience === "admin") return { ...model, other_programs: 0 };
  const trained_on = model.trained_on.filter((id) => openPrograms.has(id));
  const other_programs = model.trained_on.length - trained_on.length;
  if (other_programs === 0) return { ...model, other_programs };
  const hidden = { trained_on, other_programs, labelled: null, successes: null, failures: null };
  if (model.status !== "ok") {
    return { ...model, ...hidden, message: "not enough labelled pairs in the programs it would learn from to predict success" };
  }
  return { ...model, ...hidden, held_out: { ...model.held_out, brier_base_rate: null, calibration: [] } };
}

/** The programs among a result's own and its model's training programs that the scope may open. */
export async function openTrainingPrograms(db: Db, scope: Scope, result: SimulationResult): Promise<Set<string>> {
  const open = new Set<string>();
  for (const id of new Set([result.program.program_id, ...result.model.trained_on])) if (await canViewProgram(db, scope, id)) open.add(id);
  return open;
}

export interface ResultView {
  program: SimulationResult["program"];
  parameters: SimulationResult["parameters"];
  model: ModelView;
  comparison: ComparisonRow[];
  fairness: FairnessRow[];
  skipped: SimulationResult["skipped"];
  warnings: string[];
}

/**
 * The comparison table and fairness groups of a result for an audience: program-wide figures
 * for everyone; fairness groups of fewer than k mentees hidden for non-admin audiences, and a
 * protected reader (hr, rse, sponsor) sees only its own organization's row. The model's provenance names only
 * `openPrograms` (openTrainingPrograms; by default the result's own program) for non-admins.
 */
export function resultView(
  result: SimulationResult,
  audience: "admin" | "hr" | "rse" | "sponsor",
  orgId: string | null,
  k: number = DEFAULT_K,
  openPrograms: ReadonlySet<string> = new Set([result.program.program_id]),
): ResultView {
  const comparison = result.strategies.map((s): ComparisonRow => ({
    strategy: s.strategy,
    runs: s.runs,
    pairs: s.pairs.mean,
    coverage: s.coverage.mean,
    compatibility_mean: s.compatibility_mean.mean,
    predicted_success: s.predicted_success?.mean ?? null,
    predicted_success_low: s.predicted_success?.low ?? null,
    predicted_success_high: s.predicted_success?.high ?? null,
    cross_generation_rate: s.cross_generation_rate.mean,
    cross_company_rate: s.cross_company_rate.mean,
    median_age_gap_years: s.median_age_gap_years.mean,
    blocking_pairs: s.blocking_pairs.mean,
    fairness_gap_organization: s.fairness.gap_organization,
    fairness_gap_generation: s.fairness.gap_generation,
  }));
  const threshold = audience === "admin" ? null : k;
  const fairness: FairnessRow[] = [];
  for (const s of result.strategies) {
    for (const dimension of ["organization", "generation"] as const) {
      let groups = (dimension === "organization" ? s.fairness.by_organization : s.fairness.by_generation).map((g) => ({
        strategy: s.strategy,
        dimension,
        group: g.group,
        label: g.label,
        mentees: g.mentees,
        coverage: g.coverage,
        predicted_success: g.predicted_success,
        success_per_mentee: g.success_per_mentee,
      }));
      // Other organizations are never shown by name to a protected reader (docs/privacy.md).
      if (dimension === "organization" && audience !== "admin") groups = groups.filter((g) => g.group === orgId);
      fairness.push(
        ...suppressRows(groups, threshold, (g) => g.group, { people: (g) => g.mentees ?? 0, keep: ["strategy", "dimension", "group", "label"] }),
      );
    }
  }
  return {
    program: result.program,
    parameters: result.parameters,
    model: modelView(result.model, audience, openPrograms),
    comparison,
    fairness,
    skipped: result.skipped,
    warnings: result.warnings,
  };
}

/** A finished job's result, or null while running / unknown. */
export function jobResult(programId: string, jobId: string, reader: JobReader): SimulationResult | null {
  return ownJob(programId, jobId, reader)?.result ?? null;
}

/** A stored run's result, or null (unknown, or of another program). */
export async function storedRunResult(db: Db, programId: string, runId: number): Promise<{ result: SimulationResult; created_at: string; code_version: string } | null> {
  const run = await getRun(db, runId);
  if (!run || run.program_id !== programId) return null;
  return { result: run.results, created_at: run.created_at, code_version: run.code_version };
}

export interface SimulatedPair {
  /** null when the mentee belongs to another organization than the reader's (HR). */
  mentee_id: string | null;
  mentee_org_id: string;
  mentee_generation: string;
  /** null when the mentor belongs to another organization than the reader's (HR). */
  mentor_id: string | null;
  mentor_org_id: string;
  mentor_generation: string;
  age_gap_years: number;
  compatibility: number | null;
}

/**
 * A finished job's pairs for one strategy, only those the reader may see: every pair for
 * `individualsOrg` of kind "all", the pairs with a member of that organization otherwise (hr).
 * Null when the job or strategy is unknown.
 */
export function jobPairs(programId: string, jobId: string, strategy: string, individualsOrg: IndividualsScope): SimulatedPair[] | null {
  const job = findJob(programId, jobId);
  const pairs = job?.pairs?.[strategy];
  if (!job || !pairs) return null;
  const rows: SimulatedPair[] = [];
  for (let k = 0; k < pairs.mentee.length; k++) {
    const mentee = job.program.mentees[pairs.mentee[k]];
    const mentor = job.program.mentors[pairs.mentor[k]];
    // HR sees the individuals of its own organization only: the other member stays anonymous.
    const visible = (orgId: string) => mayIdentify(individualsOrg, orgId);
    if (!visible(mentee.orgId) && !visible(mentor.orgId)) continue;
    rows.push({
      mentee_id: visible(mentee.orgId) ? mentee.id : null,
      mentee_org_id: mentee.orgId,
      mentee_generation: generationOf(mentee.birthYear),
      mentor_id: visible(mentor.orgId) ? mentor.id : null,
      mentor_org_id: mentor.orgId,
      mentor_generation: generationOf(mentor.birthYear),
      age_gap_years: ageGapYears(mentor.birthYear, mentee.birthYear),
      compatibility: pairs.score[k],
    });
  }
  const sortKey = (p: SimulatedPair) => `${p.mentee_id ?? "~"}\u0000${p.mentor_id ?? "~"}`;
  rows.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  return rows;
}

/** The request that re-creates a stored run's matchings for one strategy (to inspect its pairs). */
export function replayRequest(result: SimulationResult, strategy: StrategyName): SimulationRequest {
  const p = result.parameters;
  return { strategies: [strategy], runs: 1, seed: p.seed, weights: p.weights.weights, bootstrap: 10, fullWeights: p.weights };
}
