/**
 * Whole-program operations: undo snapshots (taken before an import replaces a program, or
 * before a deletion), undo of the last change, deletion, the purge past retention. Each change
 * is one transaction.
 */
import type { Db } from "../db/database.server.ts";
import { programRowsSql, snapshotRowsSql } from "../db/generated-sql.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { inTransaction } from "../db/transaction.server.ts";
import { invalidateMetricMarts } from "../metrics/schema.server.ts";
import { listRetention, type RetentionOptions, type RetentionRow } from "./retention.server.ts";

/** A program's tables, children first (the order of deletion). Their statements: `programRowsSql`, `snapshotRowsSql`. */
export const PROGRAM_DATA_TABLES = ["workforce", "costs", "evaluations", "pair_topics", "meetings", "pairs", "topics", "participants", "programs"] as const;
export type ProgramDataTable = (typeof PROGRAM_DATA_TABLES)[number];
export const snapshotTable = (table: ProgramDataTable) => `ops_snapshot_${table}`;

export interface SnapshotInfo {
  snapshot_id: number;
  program_id: string;
  taken_at: string;
  reason: "import" | "delete";
  had_program: boolean;
  import_id: number | null;
}

export interface ProgramRow {
  program_id: string;
  name: string;
  kind: string;
  start_date: string;
  end_date: string;
  participants: number;
  pairs: number;
  last_snapshot: SnapshotInfo | null;
  /** What one voluntary departure costs, set by the operator (issue 13); null: no money figure. */
  cost_per_departure: number | null;
  /** The day after which `npm run retention -- purge` removes the program. */
  purge_after: string | null;
  retention_months: number | null;
}

/** Programs with their sizes and the snapshot an undo would restore. */
export async function listProgramsForAdmin(db: Db): Promise<ProgramRow[]> {
  const rows = await db.all<Omit<ProgramRow, "last_snapshot" | "cost_per_departure">>(loadSql("ops/program_list"));
  const snapshots = await listSnapshots(db);
  const retention = new Map((await listRetention(db)).map((r) => [r.program_id, r]));
  const costs = new Map((await db.all<{ program_id: string; cost_per_departure: number }>(loadSql("ops/impact_cost_list"))).map((r) => [r.program_id, r.cost_per_departure]));
  return rows.map((r) => ({
    ...r,
    cost_per_departure: costs.get(r.program_id) ?? null,
    last_snapshot: snapshots.find((s) => s.program_id === r.program_id) ?? null,
    purge_after: retention.get(r.program_id)?.purge_after ?? null,
    retention_months: retention.get(r.program_id)?.retention_months ?? null,
  }));
}

/** Snapshots, newest first. */
export async function listSnapshots(db: Db): Promise<SnapshotInfo[]> {
  return db.all<SnapshotInfo>(loadSql("ops/snapshot_list"));
}

/** Snapshots whose program is not stored any more (deleted programs that an undo can bring back). */
export async function listDeletedPrograms(db: Db): Promise<SnapshotInfo[]> {
  const stored = new Set((await db.all<{ program_id: string }>(loadSql("ops/program_ids"))).map((r) => r.program_id));
  const seen = new Set<string>();
  const out: SnapshotInfo[] = [];
  for (const s of await listSnapshots(db)) {
    if (seen.has(s.program_id)) continue;
    seen.add(s.program_id);
    if (!stored.has(s.program_id) && s.had_program) out.push(s);
  }
  return out;
}

async function programExists(db: Db, programId: string): Promise<boolean> {
  const rows = await db.all<{ n: number }>(loadSql("ops/program_count"), { program_id: programId });
  return rows[0].n > 0;
}

/**
 * Copies a program's rows into the snapshot tables (inside the caller's transaction when
 * `inOpenTransaction`). A program that is not stored gets a snapshot that says so: undoing
 * the import that added it deletes it.
 */
export async function takeSnapshot(db: Db, programId: string, reason: "import" | "delete", importId: number | null = null): Promise<number> {
  return inTransaction(db, async () => {
    const id = await snapshotNow(db, programId, reason, importId);
    // Undo goes back one step at a time; older snapshots are only kept a little while.
    const old = await db.all<{ snapshot_id: number }>(loadSql("ops/snapshots_beyond"), { program_id: programId, keep: SNAPSHOTS_KEPT });
    for (const { snapshot_id } of old) await dropSnapshotNow(db, snapshot_id);
    return id;
  });
}

/** Undo snapshots kept per program (the newest ones). */
export const SNAPSHOTS_KEPT = 3;

async function snapshotNow(db: Db, programId: string, reason: "import" | "delete", importId: number | null): Promise<number> {
  const [{ id }] = await db.all<{ id: number }>(loadSql("ops/snapshot_next_id"));
  const had = await programExists(db, programId);
  const counts: Record<string, number> = {};
  for (const table of PROGRAM_DATA_TABLES) {
    await db.run(snapshotRowsSql.copy(table, snapshotTable(table)), { id, program_id: programId });
    const [{ n }] = await db.all<{ n: number }>(snapshotRowsSql.count(snapshotTable(table)), { id });
    counts[table] = n;
  }
  await db.run(loadSql("ops/snapshot_insert"), { id, program_id: programId, reason, had, import_id: importId, counts: JSON.stringify(counts) });
  return id;
}

/** Forgets a snapshot (e.g. the import it preceded did not happen). */
export async function dropSnapshot(db: Db, snapshotId: number): Promise<void> {
  await inTransaction(db, () => dropSnapshotNow(db, snapshotId));
}

async function dropSnapshotNow(db: Db, snapshotId: number): Promise<void> {
  for (const table of PROGRAM_DATA_TABLES) await db.run(snapshotRowsSql.delete(snapshotTable(table)), { id: snapshotId });
  await db.run(loadSql("ops/snapshot_delete"), { id: snapshotId });
}

async function deleteProgramRows(db: Db, programId: string): Promise<number> {
  let removed = 0;
  for (const table of PROGRAM_DATA_TABLES) {
    const [{ n }] = await db.all<{ n: number }>(programRowsSql.count(table), { program_id: programId });
    removed += n;
    await db.run(programRowsSql.delete(table), { program_id: programId });
  }
  return removed;
}

export class ProgramOpError extends Error {
  /** What it is about, for the page to say it in the reader's language (app/i18n/pages/admin-programs.ts). */
  constructor(
    message: string,
    readonly code: "noProgram" | "nothingToUndo" | "badCost" | null = null,
  ) {
    super(message);
    this.name = "ProgramOpError";
  }
}

/**
 * Deletes a program's data (organizations stay: other programs may use them). With `keepUndo`
 * (the admin page), a snapshot is kept so that the deletion can be undone; a purge (retention,
 * erasure of a whole program) keeps nothing and also removes the program's snapshots and
 * stored simulation runs.
 */
export async function deleteProgram(db: Db, programId: string, options: { keepUndo: boolean }): Promise<{ rowsRemoved: number }> {
  if (!(await programExists(db, programId))) throw new ProgramOpError(`There is no program ${programId}.`, "noProgram");
  const rowsRemoved = await inTransaction(db, async () => {
    if (options.keepUndo) await snapshotNow(db, programId, "delete", null);
    else {
      const ids = await db.all<{ snapshot_id: number }>(loadSql("ops/snapshot_ids"), { program_id: programId });
      for (const { snapshot_id } of ids) await dropSnapshotNow(db, snapshot_id);
      await db.run(loadSql("ops/simulation_runs_delete"), { program_id: programId });
      await db.run(loadSql("ops/retention_delete"), { program_id: programId });
      await db.run(loadSql("ops/impact_cost_delete"), { program_id: programId });
      await db.run(loadSql("privacy/audits_delete"), { program_id: programId });
    }
    return deleteProgramRows(db, programId);
  });
  invalidateMetricMarts(db, programId);
  return { rowsRemoved };
}

/** Purges every program past its retention: data, undo snapshots and simulation runs. */
export async function purgeExpired(db: Db, options: RetentionOptions = {}): Promise<RetentionRow[]> {
  const due = (await listRetention(db, options)).filter((r) => r.is_due);
  for (const row of due) await deleteProgram(db, row.program_id, { keepUndo: false });
  return due;
}

/**
 * Undoes the last import (or deletion) of a program: its rows become those of its newest
 * snapshot again, and the snapshot is used up. A program the import had added is deleted.
 */
export async function undoLastChange(db: Db, programId: string): Promise<{ snapshot: SnapshotInfo; restoredProgram: boolean }> {
  const snapshot = (await listSnapshots(db)).find((s) => s.program_id === programId);
  if (!snapshot) throw new ProgramOpError(`Nothing to undo for ${programId}: no snapshot is kept.`, "nothingToUndo");
  await inTransaction(db, async () => {
    await deleteProgramRows(db, programId);
    for (const table of [...PROGRAM_DATA_TABLES].reverse()) {
      await db.run(snapshotRowsSql.restore(table, snapshotTable(table)), { id: snapshot.snapshot_id });
    }
    await dropSnapshotNow(db, snapshot.snapshot_id);
    // The undone import no longer describes the stored rows: ingestion must not treat a
    // re-import of the same files as a no-op.
    if (snapshot.import_id !== null) await db.run(loadSql("ops/import_mark_undone"), { import_id: snapshot.import_id });
  });
  invalidateMetricMarts(db, programId);
  return { snapshot, restoredProgram: snapshot.had_program };
}

/**
 * Sets (or, with null, clears) what one voluntary departure costs the program's organizations
 * (issue 13): the impact figures' money. A positive amount with at most 2 decimals.
 */
export async function setCostPerDeparture(db: Db, programId: string, cost: number | null): Promise<void> {
  if (cost !== null && !(Number.isFinite(cost) && cost > 0 && cost < 1e12)) throw new ProgramOpError(`Invalid cost per departure: ${cost} (a positive amount).`, "badCost");
  if (!(await programExists(db, programId))) throw new ProgramOpError(`There is no program ${programId}.`, "noProgram");
  await inTransaction(db, async () => {
    await db.run(loadSql("ops/impact_cost_delete"), { program_id: programId });
    if (cost !== null) await db.run(loadSql("ops/impact_cost_insert"), { program_id: programId, cost: Math.round(cost * 100) / 100 });
  });
  invalidateMetricMarts(db, programId);
}
