/**
 * Worker threads on TypeScript modules: the worker first registers tsx's ESM loader, then
 * imports the module (docs/decisions/0001: on Node 20 neither the parent's loader nor
 * `--import tsx` reaches a worker thread). Used by the strategy runs (simulation.ts) and the
 * server's simulation jobs (jobs.server.ts).
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

/** tsx's ESM register API, resolved from this module (so a CLI started from another folder finds it). */
const tsxApi = (() => {
  try {
    const pkg = createRequire(import.meta.url).resolve("tsx/package.json");
    return pathToFileURL(join(dirname(pkg), "dist", "esm", "api", "index.mjs")).href;
  } catch {
    return "tsx/esm/api";
  }
})();

/** Starts a worker thread running the TypeScript module at `url` (a file: URL) with `workerData`. */
export function startTsWorker(url: string, workerData: unknown): Worker {
  return new Worker(`import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(url)}); })`, {
    eval: true,
    workerData,
  });
}
