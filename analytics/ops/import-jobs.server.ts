/**
 * Web imports: the dry run of an uploaded batch, then the confirmed import running in the
 * background with its progress polled by the page. The dry run uses `importExport` with `dryRun` (so a workbook is read as the export), the import
 * `importExport` (import.server.ts), as the CLI does.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "../db/database.server.ts";
import { withOpsLock } from "../db/transaction.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { formatProblem, type IngestResult, type Problem } from "../ingest/index.server.ts";
import { withProgramMarts } from "../metrics/schema.server.ts";
import { importExport, type ImportOptions } from "./import.server.ts";
import { dropSnapshot, takeSnapshot } from "./programs.server.ts";
import { removeBatch, type UploadBatch } from "./upload.server.ts";

export interface ImportReport {
  outcome: IngestResult["outcome"];
  importId: number | null;
  programs: IngestResult["programs"];
  rowCounts: { table: string; before: number; after: number }[];
  problems: (Problem & { text: string })[];
  warnings: string[];
}

export function toReport(result: IngestResult): ImportReport {
  return {
    outcome: result.outcome,
    importId: result.importId,
    programs: result.programs,
    rowCounts: Object.entries(result.rowCounts).map(([table, c]) => ({ table, before: c.before, after: c.after })),
    problems: result.problems.map((p) => ({ ...p, text: formatProblem(p) })),
    warnings: result.warnings,
  };
}

/** Validates an uploaded batch and says what an import would change; writes nothing. */
export async function dryRunBatch(db: Db, batch: UploadBatch): Promise<ImportReport> {
  // importExport, as the import itself: an Excel workbook is read as the export (issue #17).
  return toReport(await withOpsLock(db, async () => (await importExport(db, batch.files, { dryRun: true })).result));
}

export interface ImportJob {
  id: string;
  userId: string;
  batchId: string;
  startedAt: number;
  state: "running" | "done" | "failed";
  phase: string;
  done: number;
  total: number;
  report: ImportReport | null;
  error: string | null;
}

const jobs = ((globalThis as typeof globalThis & { __binomeImportJobs?: Map<string, ImportJob> }).__binomeImportJobs ??= new Map());
const JOB_TTL_MS = 60 * 60 * 1000;

/**
 * Starts the confirmed import of a batch: a snapshot of each program it will replace (for
 * undo), then the import; the batch's files are removed when it ends.
 */
export function startImportJob(db: Db, batch: UploadBatch, userId: string, programIds: string[], pagesDb: Db = db, mapping: ImportOptions["mapping"] = null): ImportJob {
  for (const [id, job] of jobs) if (Date.now() - job.startedAt > JOB_TTL_MS) jobs.delete(id);
  const job: ImportJob = {
    id: randomBytes(12).toString("hex"),
    userId,
    batchId: batch.id,
    startedAt: Date.now(),
    state: "running",
    phase: "snapshot",
    done: 0,
    total: programIds.length,
    report: null,
    error: null,
  };
  jobs.set(job.id, job);
  // The whole job holds the operations lock: no deletion, undo or erasure runs in between.
  // The server has one DuckDB connection: while the import's transaction is open, a page that
  // refreshed its marts would BEGIN inside it and abort it. Holding the marts' queue (as a
  // report does) makes those refreshes, and the reports behind them, wait for the import.
  // With its own connection (the server passes one), the import's transaction is isolated from
  // the pages' queries and nothing else needs to wait.
  let started = false;
  const run = () => {
    started = true;
    return runJob(db, job, batch, programIds, pagesDb, mapping);
  };
  withOpsLock(db, () => (pagesDb === db ? withProgramMarts(db, programIds[0] ?? "", run) : run())).catch((error: unknown) => {
    // runJob reports its own failures; this is a failure before it could start.
    if (started) return;
    job.state = "failed";
    job.error = error instanceof Error ? error.message : String(error);
    removeBatch(batch.id);
  });
  return job;
}

async function runJob(db: Db, job: ImportJob, batch: UploadBatch, programIds: string[], pagesDb: Db, mapping: ImportOptions["mapping"]): Promise<void> {
  const snapshots: number[] = [];
  try {
    for (const [i, programId] of programIds.entries()) {
      snapshots.push(await takeSnapshot(db, programId, "import"));
      job.done = i + 1;
    }
    const { result } = await importExport(db, batch.files, {
      mapping,
      onProgress: (step) => Object.assign(job, { phase: step.phase, done: step.done, total: step.total }),
      onImported: async ({ importId }) => {
        if (importId === null) return;
        for (const id of snapshots) await db.run(loadSql("ops/snapshot_set_import"), { import: importId, id });
      },
      // The pages' marts live on the pages' connection: prepare them there.
      warmMartsOn: pagesDb,
    });
    if (result.outcome !== "imported") for (const id of snapshots) await dropSnapshot(db, id);
    job.report = toReport(result);
    job.state = "done";
  } catch (error) {
    for (const id of snapshots) await dropSnapshot(db, id).catch(() => undefined);
    job.state = "failed";
    job.error = error instanceof Error ? error.message : String(error);
  } finally {
    removeBatch(batch.id);
  }
}

/** A job of this user, or null (jobs are kept an hour, in memory). */
export function getImportJob(id: string, userId: string): ImportJob | null {
  const job = jobs.get(id);
  return job && job.userId === userId ? job : null;
}
