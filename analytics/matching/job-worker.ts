/**
 * Runs one simulation (analytics/matching/simulation.ts) off the server's main thread, so the
 * page's progress polling keeps being answered. Started by jobs.server.ts through tsx's
 * register API; posts `progress` messages, then `done` with the result and, for each strategy,
 * its pairs (indices into the program's mentees and mentors) with their compatibility.
 */
import { parentPort, workerData } from "node:worker_threads";
import { runSimulation, type SimulationInput, type SimulationOptions } from "./simulation.ts";
import type { StrategyName } from "./strategies.ts";

export interface WorkerInput {
  input: SimulationInput;
  options: Omit<SimulationOptions, "onProgress" | "workers">;
}

export interface StrategyPairs {
  mentee: number[];
  mentor: number[];
  score: (number | null)[];
}

export type WorkerMessage =
  | { type: "progress"; done: number; total: number; label: string }
  | { type: "done"; result: Awaited<ReturnType<typeof runSimulation>>["result"]; pairs: Record<string, StrategyPairs> }
  | { type: "error"; message: string };

async function main(): Promise<void> {
  const { input, options } = workerData as WorkerInput;
  const post = (message: WorkerMessage) => parentPort!.postMessage(message);
  try {
    const out = await runSimulation(input, {
      ...options,
      workers: 0,
      onProgress: (done, total, label) => post({ type: "progress", done, total, label }),
    });
    const pairs: Record<string, StrategyPairs> = {};
    for (const summary of out.result.strategies) {
      const m = out.matching(summary.strategy as StrategyName);
      const score = Array.from(m.mentee, (i, k) => {
        const s = out.scoreOf(i, m.mentor[k]);
        return Number.isFinite(s) ? s : null;
      });
      pairs[summary.strategy] = { mentee: Array.from(m.mentee), mentor: Array.from(m.mentor), score };
    }
    post({ type: "done", result: out.result, pairs });
  } catch (error) {
    post({ type: "error", message: error instanceof Error ? error.message : String(error) });
  }
}

void main();
