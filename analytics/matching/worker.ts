/** Worker thread: runs seeded strategy runs sent by simulation.ts and posts their metrics back. */
import { parentPort, workerData } from "node:worker_threads";
import { createRunner, type RunnerContext, type RunTask } from "./runner.ts";

const runner = createRunner(workerData as RunnerContext);
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
