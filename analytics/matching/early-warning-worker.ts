/**
 * Fits the early-warning models (early-warning.ts) off the server's main thread: at 200,000
 * participants the fit (three horizons, cross-validation and a bootstrap each) takes tens of
 * seconds of CPU, during which the main thread would answer no other request. Started by
 * `analytics/dashboards/early-warning.server.ts`; posts one message, the result or an error.
 */
import { parentPort, workerData } from "node:worker_threads";
import { earlyWarning, type EarlyWarning, type EarlyWarningFacts } from "./early-warning.ts";

export interface EarlyWarningWorkerInput {
  facts: EarlyWarningFacts[];
  seed: number;
}

export type EarlyWarningWorkerMessage = { ok: true; warning: EarlyWarning } | { ok: false; message: string };

const { facts, seed } = workerData as EarlyWarningWorkerInput;
let message: EarlyWarningWorkerMessage;
try {
  message = { ok: true, warning: earlyWarning(facts, { seed }) };
} catch (error) {
  message = { ok: false, message: error instanceof Error ? error.message : String(error) };
}
parentPort!.postMessage(message);
