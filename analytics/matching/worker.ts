/** Worker thread: runs seeded strategy runs sent by simulation.ts and posts their metrics back. */
import { parentPort, workerData } from "node:worker_threads";
import type { EvaluationContext } from "./evaluate.ts";
import { createRunner, type RunTask } from "./runner.ts";

const runner = createRunner(workerData as EvaluationContext);
parentPort!.on("message", (task: RunTask | null) => {
  if (task === null) {
    parentPort!.close();
    return;
  }
  try {
    parentPort!.postMessage({ index: task.index, metrics: runner.run(task) });
  } catch (error) {
    parentPort!.postMessage({ index: task.index, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
