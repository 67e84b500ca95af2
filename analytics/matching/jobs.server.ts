/**
 * Simulation jobs of the server: reads a simulation request from the page's form, runs the
 * simulation (simulation.ts) in a worker thread (job-worker.ts) and tracks its progress in
 * memory, keeps a finished job as a stored run (`simulation_runs`) on request, and lists a
 * strategy's pairs (dashboards/simulations.server.ts shows them to the roles allowed to see
 * individuals). docs/decisions/0012-simulation-jobs.md.
 */
import { randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Db } from "../db/database.server.ts";
import { sqlRoot } from "../db/sql-files.server.ts";
import type { StrategyPairs, WorkerInput, WorkerMessage } from "./job-worker.ts";
import { defaultTrainingPrograms, loadProgram } from "./load.server.ts";
import { saveRun } from "./runs.server.ts";
import type { SimulationResult } from "./simulation.ts";
import { canRunSimulations, JOB_LIMITS, LIMITS, SIMULATION_DEFAULTS, WEIGHT_NAMES, type WeightName } from "./simulation-options.ts";
import { QUOTA_NAMES, type Quotas } from "./quotas.ts";
import { STRATEGIES, type StrategyName } from "./strategies.ts";
import { startTsWorker } from "./ts-worker.ts";
import type { Participant, ProgramData } from "./types.ts";
import { defaultWeights, parseWeights, type Weights } from "./weights.ts";

export { STRATEGIES, type StrategyName } from "./strategies.ts";
export { canRunSimulations, JOB_LIMITS, LIMITS, WEIGHT_NAMES, type WeightName } from "./simulation-options.ts";

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
  /** Quotas to price for optimal and learned (the form's percentages as shares). */
  quotas?: Quotas;
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
  const quotas: Quotas = {};
  for (const name of QUOTA_NAMES) {
    const raw = String(form.get(`q_${name}`) ?? "").trim();
    if (raw === "") continue;
    const n = Number(raw.replace(",", "."));
    if (!Number.isFinite(n) || n < 0 || n > 100) throw new RangeError(`invalid quota ${name}: ${JSON.stringify(raw)} (a percentage from 0 to 100)`);
    if (n > 0) quotas[name] = n / 100;
  }
  return {
    ...(Object.keys(quotas).length > 0 ? { quotas } : {}),
    strategies: [...new Set(strategies)] as StrategyName[],
    runs: int("runs", LIMITS.runs.min, LIMITS.runs.max, SIMULATION_DEFAULTS.runs),
    seed: int("seed", 0, 2 ** 31 - 1, SIMULATION_DEFAULTS.seed),
    weights,
    reachCrossGeneration: reach,
    bootstrap: int("bootstrap", LIMITS.bootstrap.min, LIMITS.bootstrap.max, SIMULATION_DEFAULTS.bootstrap),
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

/** The worker's TypeScript source, found from the project's sql/ folder (works from the server build too). */
const workerUrl = pathToFileURL(join(dirname(sqlRoot), "analytics", "matching", "job-worker.ts")).href;

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
  const training = await defaultTrainingPrograms(db, program);
  const id = randomUUID();
  const workerInput: WorkerInput = {
    input: { program, training },
    options: { strategies: request.strategies, runs: request.runs, seed: request.seed, weights, bootstrap: request.bootstrap, ...(request.quotas ? { quotas: request.quotas } : {}) },
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
    const worker = startTsWorker(workerUrl, workerInput);
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
 * otherwise. jobMatching does not check the owner: its callers ask getJobStatus first.
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

/** A finished job's result, or null while running / unknown. */
export function jobResult(programId: string, jobId: string, reader: JobReader): SimulationResult | null {
  return ownJob(programId, jobId, reader)?.result ?? null;
}

/** One pair of a finished job's matching: both participants and their compatibility. */
export interface JobPair {
  mentee: Participant;
  mentor: Participant;
  compatibility: number | null;
}

/**
 * A finished job's pairs for one strategy, every one (null when the job or strategy is
 * unknown). Does not check the owner: its callers ask getJobStatus first; what a reader may see
 * of them is dashboards/simulations.server.ts's `jobPairs`.
 */
export function jobMatching(programId: string, jobId: string, strategy: string): JobPair[] | null {
  const job = findJob(programId, jobId);
  const pairs = job?.pairs?.[strategy];
  if (!job || !pairs) return null;
  return Array.from(pairs.mentee, (mentee, k) => ({
    mentee: job.program.mentees[mentee],
    mentor: job.program.mentors[pairs.mentor[k]],
    compatibility: pairs.score[k],
  }));
}

/** The request that re-creates a stored run's matchings for one strategy (to inspect its pairs). */
export function replayRequest(result: SimulationResult, strategy: StrategyName): SimulationRequest {
  const p = result.parameters;
  return { strategies: [strategy], runs: 1, seed: p.seed, weights: p.weights.weights, bootstrap: 10, fullWeights: p.weights };
}
