/**
 * Orchestrates a simulation from the database: loads the program (and the programs the outcome
 * model learns from), runs it (simulation.ts) and stores the run (runs.server.ts).
 */
import type { Db } from "../db/database.server.ts";
import { defaultTrainingPrograms, earlierEditions, loadProgram } from "./load.server.ts";
import { saveRun } from "./runs.server.ts";
import { runSimulation, type SimulationOptions, type SimulationOutput } from "./simulation.ts";
import type { ProgramData } from "./types.ts";
import { defaultWeights, type Weights } from "./weights.ts";

export class UnknownProgramError extends Error {
  constructor(readonly programId: string) {
    super(`unknown program: ${JSON.stringify(programId)}`);
    this.name = "UnknownProgramError";
  }
}

export interface SimulateOptions extends Omit<SimulationOptions, "weights"> {
  weights?: Weights;
  /**
   * Programs whose labelled pairs train the outcome model. Default: the program itself when it
   * has labelled pairs, else (a new cohort) every other program that has some.
   */
  trainPrograms?: string[];
  /** Store the run in simulation_runs (default true). */
  store?: boolean;
}

export interface SimulateResult extends SimulationOutput {
  program: ProgramData;
  runId: number | null;
  elapsedMs: number;
}

export async function simulateProgram(db: Db, programId: string, options: SimulateOptions): Promise<SimulateResult> {
  const started = performance.now();
  const program = await loadProgram(db, programId);
  if (!program) throw new UnknownProgramError(programId);
  const trainIds = options.trainPrograms;
  const training: ProgramData[] = [];
  if (!trainIds || trainIds.length === 0) training.push(...(await defaultTrainingPrograms(db, program)));
  for (const id of trainIds ?? []) {
    const data = id === programId ? program : await loadProgram(db, id);
    if (!data) throw new UnknownProgramError(id);
    training.push(data);
  }
  const weights = options.weights ?? defaultWeights();
  const earlier = await earlierEditions(db, program);
  const output = await runSimulation({ program, training, earlier }, { ...options, weights });
  const elapsedMs = performance.now() - started;
  const runId =
    options.store === false ? null : await saveRun(db, output.result, { workers: options.workers ?? null, elapsedMs });
  return { ...output, program, runId, elapsedMs };
}
