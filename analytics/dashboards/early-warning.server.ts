/**
 * The early-warning scores as a reader may see them (`/api/programs/:id/early-warning.json`):
 * individual-level, so for operators (every active pair) and HR (the pairs with a member of
 * their organization; the other member's id is null, as in the pairs Arrow) only — never in the
 * aggregate report every audience shares. The model's quality figures are program-wide; for HR
 * a calibration bin of fewer than k pairs is left out (docs/privacy.md).
 */
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { mayIdentify, type IndividualsScope } from "../auth/scope.server.ts";
import type { Db } from "../db/database.server.ts";
import { loadSql, sqlRoot } from "../db/sql-files.server.ts";
import type { ProgramIdentity } from "../domain/program.ts";
import { earlyWarning, type EarlyWarning, type EarlyWarningFacts, type HorizonModel, type PairRisk } from "../matching/early-warning.ts";
import type { EarlyWarningWorkerInput, EarlyWarningWorkerMessage } from "../matching/early-warning-worker.ts";
import { startTsWorker } from "../matching/ts-worker.ts";
import { DEFAULT_K } from "../metrics/suppression.ts";
import { cachedByDataVersion } from "../metrics/cache.server.ts";

/** Fixed, so the same data gives the same scores (the model's folds and refits are seeded). */
const EARLY_WARNING_SEED = 1;

export interface EarlyWarningView extends Omit<EarlyWarning, "pairs" | "unscored"> {
  program_id: string;
  as_of: string;
  /** Active pairs the reader may see that are not scored (matched less than a month ago, or no model). */
  unscored: number;
  pairs: (Omit<PairRisk, "mentor_id" | "mentee_id"> & { mentor_id: string | null; mentee_id: string | null })[];
}

/**
 * Above this many pair-horizon rows the models are fitted on a worker thread (about a second of
 * CPU at 50,000 rows, tens of seconds at 200,000 participants): the server keeps answering.
 * Below it, the worker's start would cost more than the fit.
 */
export const OFF_THREAD_FACTS = 50_000;

/** The worker's TypeScript source, found from the project's sql/ folder (works from the server build too). */
const workerUrl = pathToFileURL(join(dirname(sqlRoot), "analytics", "matching", "early-warning-worker.ts")).href;

/** `earlyWarning(facts)` on a worker thread: the same result, the main thread left free. */
export function earlyWarningOffThread(facts: EarlyWarningFacts[], seed: number): Promise<EarlyWarning> {
  return new Promise((resolve, reject) => {
    const worker = startTsWorker(workerUrl, { facts, seed } satisfies EarlyWarningWorkerInput);
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      outcome();
    };
    worker.on("message", (message: EarlyWarningWorkerMessage) =>
      settle(() => (message.ok ? resolve(message.warning) : reject(new Error(`early warning: ${message.message}`)))),
    );
    worker.on("error", (error) => settle(() => reject(error)));
    worker.on("exit", (code) => settle(() => reject(new Error(`early warning: the worker stopped (exit code ${code})`))));
  });
}

/** The program's early warning computed on its recorded data (null: no such program). */
export async function computeEarlyWarning(db: Db, programId: string, asOf: string | null = null): Promise<(EarlyWarning & { program_id: string; as_of: string }) | null> {
  const [program] = await db.all<ProgramIdentity & { as_of: string }>(loadSql("queries/report_program"), { program_id: programId, as_of: asOf });
  if (!program) return null;
  const facts = await db.all<EarlyWarningFacts>(loadSql("matching/early_warning_pairs"), { program_id: programId, as_of: program.as_of });
  const warning = facts.length > OFF_THREAD_FACTS ? await earlyWarningOffThread(facts, EARLY_WARNING_SEED) : earlyWarning(facts, { seed: EARLY_WARNING_SEED });
  return { program_id: programId, as_of: String(program.as_of).slice(0, 10), ...warning };
}

/** The early warning at today's as_of, computed once per data version of the program (cache.server.ts). */
export function getEarlyWarning(db: Db, programId: string): Promise<(EarlyWarning & { program_id: string; as_of: string }) | null> {
  return cachedByDataVersion(db, programId, ["early-warning"], () => computeEarlyWarning(db, programId));
}

/** What `individuals` may see of an early warning. */
export function earlyWarningView(warning: EarlyWarning & { program_id: string; as_of: string }, individuals: IndividualsScope, k: number = DEFAULT_K): EarlyWarningView {
  const pairs = warning.pairs
    .filter((p) => mayIdentify(individuals, p.mentor_org_id) || mayIdentify(individuals, p.mentee_org_id))
    .map((p) => ({
      ...p,
      mentor_id: mayIdentify(individuals, p.mentor_org_id) ? p.mentor_id : null,
      mentee_id: mayIdentify(individuals, p.mentee_org_id) ? p.mentee_id : null,
    }));
  const horizons: HorizonModel[] =
    individuals.kind === "all"
      ? warning.horizons
      : warning.horizons.map((h) => (h.status === "ok" ? { ...h, held_out: { ...h.held_out, calibration: h.held_out.calibration.filter((bin) => bin.n >= k) } } : h));
  const visible = (p: { mentor_org_id: string; mentee_org_id: string }) => mayIdentify(individuals, p.mentor_org_id) || mayIdentify(individuals, p.mentee_org_id);
  return { ...warning, horizons, pairs, unscored: warning.unscored.filter(visible).length };
}
