/**
 * The running server rebuilds its own database file after an erasure (decision 0013), so that
 * the erased participant's bytes leave the file and its write-ahead log without stopping it:
 * the operations lock (a running import, backup, deletion or erasure finishes first), the
 * pages' report queue (reports wait), then the statement gate: with writes held, a copy of the
 * database into a new file (`copyDatabaseInto`) while reads go on; with every statement held,
 * the WAL folded in, every connection and the instance closed, the copy renamed over the file,
 * the file opened again; the waiting statements then run on it.
 */
import { rmSync, statSync } from "node:fs";
import type { Scope } from "../auth/scope.server.ts";
import { getImportDb, serverDatabaseIfOpen } from "../db/app-db.server.ts";
import type { Db } from "../db/database.server.ts";
import { withOpsLock } from "../db/transaction.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { invalidateMetricMarts, moveMartState, withMartQueue } from "../metrics/schema.server.ts";
import { warmProgram } from "../metrics/warm.server.ts";
import { recordOpsAudit } from "./audit.server.ts";
import { rebuildNeededSince } from "./erasure.server.ts";
import { siblingPath, swapInto } from "./file-db.server.ts";
import { copyDatabaseInto } from "./rebuild.server.ts";

export interface CompactionStatus {
  state: "idle" | "running" | "failed";
  /** Where a running rebuild is: waiting for a data operation (or report work) to end, copying (writes wait), swapping (every statement waits). */
  phase: "waiting" | "copying" | "swapping" | null;
  /** ISO times of the last run's start and end. */
  startedAt: string | null;
  finishedAt: string | null;
  /** Why the last run failed (the file is then unchanged and the rebuild still pending). */
  error: string | null;
  /** How long the last successful run held every statement (the swap), in ms. */
  pauseMs: number | null;
  /** How long it held writes (the copy, then the swap), in ms. */
  writesHeldMs: number | null;
  bytesBefore: number | null;
  bytesAfter: number | null;
}

interface CompactionState {
  status: CompactionStatus;
  running: Promise<void> | null;
  again: boolean;
  /** Who asked (the audit entry's author); the last asker's scope. */
  scope: Scope | null;
}

// On globalThis: server/start.ts (run by tsx) and the Remix build each load this module.
const shared = globalThis as typeof globalThis & { __binomeCompaction?: CompactionState };
const compaction = (shared.__binomeCompaction ??= {
  status: { state: "idle", phase: null, startedAt: null, finishedAt: null, error: null, pauseMs: null, writesHeldMs: null, bytesBefore: null, bytesAfter: null },
  running: null,
  again: false,
  scope: null,
});

/** The server's rebuild as the erasure page shows it. */
export function compactionStatus(): CompactionStatus {
  return { ...compaction.status };
}

/** The audit entries of rebuilds the server started itself (at start-up, for an erasure made before a stop). */
export const SYSTEM_SCOPE: Scope = { userId: "system", role: "admin", orgId: null };

/**
 * Asks the server to rebuild its file (after a web erasure, or at start-up when a rebuild is
 * pending). Returns at once; the promise settles when the run (and any run asked for while it
 * was going, which it does not cover) has ended. Never rejects: a failure is in the status.
 */
export function requestCompaction(scope: Scope = SYSTEM_SCOPE, log: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<void> {
  compaction.scope = scope;
  if (compaction.running) {
    compaction.again = true;
    return compaction.running;
  }
  const loop = async () => {
    do {
      compaction.again = false;
      const ok = await runOnce(log);
      if (!ok) break;
    } while (compaction.again);
  };
  compaction.running = loop().finally(() => {
    compaction.running = null;
  });
  return compaction.running;
}

const fileSize = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

async function runOnce(log: (line: string) => void): Promise<boolean> {
  const server = await serverDatabaseIfOpen();
  if (!server) return true;
  const status = compaction.status;
  Object.assign(status, { state: "running", phase: "waiting", startedAt: new Date().toISOString(), finishedAt: null, error: null });
  const opsDb = await getImportDb();
  const pagesDb = server.primary;
  let programs: string[] = [];
  try {
    const result = await withOpsLock(opsDb, async () => {
      // Nothing to do (another run covered it): no pause for the pages.
      if (!(await rebuildNeededSince(opsDb))) return null;
      // Report work (which writes the marts' TEMP tables) waits from here to the end.
      return withMartQueue(pagesDb, async () => {
        const started = Date.now();
        const raw = () => server.underlying(opsDb);
        const bytesBefore = fileSize(server.path) + fileSize(`${server.path}.wal`);
        const fresh = siblingPath(server.path, "rebuild");
        let swapStarted = 0;
        const moved = await server.gate.maintain(
          // Writes wait; reads go on, on the file as it is.
          async () => {
            status.phase = "copying";
            await raw().run(loadSql("db/checkpoint")).catch(() => undefined);
            await copyDatabaseInto(raw(), fresh);
          },
          // Every statement waits: the old file's WAL is folded in and left empty (so that a
          // crash between its removal and the rename loses nothing), then the file is closed,
          // replaced by the copy and opened again.
          async () => {
            swapStarted = Date.now();
            status.phase = "swapping";
            try {
              await raw().run(loadSql("db/checkpoint"));
              return await server.reopen(() => swapInto(fresh, server.path));
            } catch (error) {
              rmSync(fresh, { force: true });
              throw error;
            }
          },
        );
        const released = Date.now();
        // The TEMP layers on the new connections (statements pass again; reports still wait).
        for (const { from, to } of moved) await moveMartState(from, to);
        programs = (await pagesDb.all<{ program_id: string }>(loadSql("ops/program_ids"))).map((r) => r.program_id);
        return {
          writesHeldMs: released - started,
          pauseMs: released - swapStarted,
          // Epoch ms: writes held from, every statement held from, until.
          heldFrom: started,
          pausedFrom: swapStarted,
          pausedUntil: released,
          bytesBefore,
          bytesAfter: fileSize(server.path) + fileSize(`${server.path}.wal`),
        };
      });
    });
    if (result) {
      invalidateMetricMarts(pagesDb);
      Object.assign(status, result);
      await recordOpsAudit(pagesDb, compaction.scope ?? SYSTEM_SCOPE, "rebuild_database", { reason: "erasure", ...result });
      log(`Rebuilt ${server.path} after an erasure: ${result.bytesBefore} → ${result.bytesAfter} bytes, pages held ${result.pauseMs} ms, writes ${result.writesHeldMs} ms.`);
    }
    Object.assign(status, { state: "idle", phase: null, finishedAt: new Date().toISOString() });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    Object.assign(status, { state: "failed", phase: null, finishedAt: new Date().toISOString(), error: message });
    process.stderr.write(`binome: could not rebuild the database file after an erasure (it is unchanged, the rebuild is still pending): ${message}\n`);
    return false;
  }
  // The figures were on the old connection: prepare them again, as at start-up.
  void warmPrograms(pagesDb, programs);
  return true;
}

async function warmPrograms(db: Db, programs: string[]): Promise<void> {
  for (const programId of programs) await warmProgram(db, programId).catch(() => undefined);
}
