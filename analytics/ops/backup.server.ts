/**
 * Backups: the whole database as Parquet (DuckDB's EXPORT DATABASE) with a manifest of
 * versions, checksums and row counts; a restore builds a new file from them, re-applies the
 * erasure ledger of the file it replaces, and swaps it in with one rename. The CLI backs up a
 * file no process holds; the running server backs up through its data-operations connection
 * (`backupFromServer`), both through the same `writeBackup`.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { SCHEMA_VERSION, applySchema, type Db } from "../db/database.server.ts";
import { detectSchemaVersion, migrateDatabase } from "../db/migrate.server.ts";
import { inTransaction, withOpsLock } from "../db/transaction.server.ts";
import { countRowsSql, databaseSql } from "../db/generated-sql.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { applyErasureLedger } from "./erasure.server.ts";
import { openExclusive, siblingPath, swapInto } from "./file-db.server.ts";
import { listFiles } from "./list-files.server.ts";
import { rebuildDatabaseFile } from "./rebuild.server.ts";

export const MANIFEST = "manifest.json";
const DATA_DIR = "data";

export interface BackupManifest {
  format: "binome-backup";
  format_version: 1;
  created_at: string;
  source: string;
  schema_version: number | null;
  code_schema_version: number;
  duckdb_version: string;
  tables: Record<string, number>;
  files: { path: string; bytes: number; sha256: string }[];
}

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

/** A file's SHA-256, streamed: a server hashing a large backup must not block its event loop. */
async function sha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(path), hash);
  return hash.digest("hex");
}

async function tableCounts(db: Db): Promise<Record<string, number>> {
  const tables = await db.all<{ table_name: string }>(loadSql("db/base_tables"), { catalog: null });
  const out: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [{ n }] = await db.all<{ n: number }>(countRowsSql(table_name));
    out[table_name] = n;
  }
  return out;
}

interface WriteBackupOptions {
  /** The database file named in the manifest. */
  source: string;
  createdAt?: Date;
  /**
   * Runs the statements that must see one state of the data (versions, row counts, the
   * export). The CLI holds the file alone and runs them as they come; the server wraps them in
   * one transaction on its data-operations connection.
   */
  snapshot: <T>(fn: () => Promise<T>) => Promise<T>;
}

/**
 * The part of a backup that works on an open database, shared by the CLI and the server:
 * versions and row counts, DuckDB's EXPORT DATABASE into `target/data`, then the manifest with
 * every file's size and checksum. `target` must exist and be empty.
 */
async function writeBackup(db: Db, target: string, options: WriteBackupOptions): Promise<BackupManifest> {
  const manifest = await options.snapshot(async (): Promise<BackupManifest> => {
    const [{ version }] = await db.all<{ version: string }>(loadSql("db/duckdb_version"));
    const tables = await tableCounts(db);
    await db.run(databaseSql.exportParquet(join(target, DATA_DIR)));
    return {
      format: "binome-backup",
      format_version: 1,
      created_at: (options.createdAt ?? new Date()).toISOString(),
      source: options.source,
      schema_version: await detectSchemaVersion(db),
      code_schema_version: SCHEMA_VERSION,
      duckdb_version: version,
      tables,
      files: [],
    };
  });
  for (const path of listFiles(join(target, DATA_DIR))) {
    manifest.files.push({ path: relative(target, path), bytes: statSync(path).size, sha256: await sha256(path) });
  }
  writeFileSync(join(target, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Writes a backup of the database file into `dir` (which must be new or empty). Needs the file to itself (no server). */
export async function backupDatabase(dbPath: string, dir: string): Promise<BackupManifest> {
  const target = resolve(dir);
  if (existsSync(target) && readdirSync(target).length > 0) throw new BackupError(`${target} is not empty: give a new folder for each backup.`);
  if (!existsSync(dbPath)) throw new BackupError(`no database at ${dbPath}`);
  mkdirSync(target, { recursive: true });
  const handle = await openExclusive(dbPath);
  try {
    await handle.db.run(loadSql("db/checkpoint"));
    return await writeBackup(handle.db, target, { source: resolve(dbPath), snapshot: (fn) => fn() });
  } finally {
    handle.close();
  }
}

/** A backup folder's name: its UTC time to the second, e.g. 2026-11-26T13-45-07Z. */
export function backupFolderName(at: Date): string {
  return at.toISOString().replace(/\.\d+Z$/, "Z").replace(/:/g, "-");
}

export interface ServerBackup {
  /** The folder's name in `backupsDir`. */
  name: string;
  path: string;
  manifest: BackupManifest;
}

/**
 * A backup made by the running server, into a new folder of `backupsDir` named after the time.
 * `db` is the data-operations connection (`getImportDb`): the backup takes the operations lock
 * (no import, deletion or erasure half-way through it) and reads one transaction's snapshot.
 * DuckDB's EXPORT DATABASE runs inside an explicit transaction and exports what that
 * transaction sees (checked with DuckDB 1.5: rows committed by another connection after the
 * BEGIN are neither counted nor exported), so the manifest's counts describe exactly the
 * exported rows while the pages keep reading and writing on their own connection.
 * The files are written into a hidden `.partial-…` sibling and renamed into place once the
 * manifest is written; a failure removes it, so a folder with a backup's name is complete.
 */
export async function backupFromServer(db: Db, backupsDir: string, now: Date = new Date()): Promise<ServerBackup> {
  const root = resolve(backupsDir);
  return withOpsLock(db, async () => {
    mkdirSync(root, { recursive: true });
    const base = backupFolderName(now);
    const partial = join(root, `.partial-${base}-${process.pid}-${randomBytes(4).toString("hex")}`);
    mkdirSync(partial);
    try {
      const manifest = await writeBackup(db, partial, {
        source: db.path,
        createdAt: now,
        snapshot: (fn) => inTransaction(db, fn),
      });
      let name = base;
      for (let n = 2; existsSync(join(root, name)); n++) name = `${base}-${n}`;
      renameSync(partial, join(root, name));
      return { name, path: join(root, name), manifest };
    } catch (error) {
      rmSync(partial, { recursive: true, force: true });
      throw error;
    }
  });
}

export interface BackupSummary {
  name: string;
  created_at: string | null;
  schema_version: number | null;
  tables: number;
  total_rows: number | null;
  /** Bytes of every file in the folder. */
  bytes: number;
  /** Why the manifest could not be read; null when it could (its checksums are not checked here). */
  problem: string | null;
}

function folderBytes(dir: string): number {
  return listFiles(dir).reduce((sum, path) => sum + statSync(path).size, 0);
}

function readManifest(dir: string): BackupManifest {
  const manifestPath = join(resolve(dir), MANIFEST);
  if (!existsSync(manifestPath)) throw new BackupError(`${dir} has no ${MANIFEST}: not a Binôme backup.`);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as BackupManifest;
  } catch {
    throw new BackupError(`${manifestPath} is not valid JSON.`);
  }
  if (manifest?.format !== "binome-backup" || !Array.isArray(manifest.files)) throw new BackupError(`${manifestPath} is not a Binôme backup manifest.`);
  return manifest;
}

/**
 * The backups in `backupsDir`, newest first: every folder with a manifest (hidden folders, such
 * as a backup being written, are left out). Reads the manifests only; `verifyNamedBackup`
 * checks the checksums.
 */
export function listBackups(backupsDir: string): BackupSummary[] {
  const root = resolve(backupsDir);
  if (!existsSync(root)) return [];
  const out: BackupSummary[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const dir = join(root, entry.name);
    if (!existsSync(join(dir, MANIFEST))) continue;
    const summary: BackupSummary = { name: entry.name, created_at: null, schema_version: null, tables: 0, total_rows: null, bytes: folderBytes(dir), problem: null };
    try {
      const manifest = readManifest(dir);
      summary.created_at = typeof manifest.created_at === "string" ? manifest.created_at : null;
      summary.schema_version = manifest.schema_version ?? null;
      const rows = Object.values(manifest.tables ?? {});
      summary.tables = rows.length;
      summary.total_rows = rows.reduce((a, b) => a + b, 0);
    } catch (error) {
      summary.problem = error instanceof Error ? error.message : String(error);
    }
    out.push(summary);
  }
  return out.sort((a, b) => (b.created_at ?? "").localeCompare(a.created_at ?? "") || b.name.localeCompare(a.name));
}

/** Checks the checksums of the backup `name` of `backupsDir` (a folder listed by `listBackups`, nothing else). */
export async function verifyNamedBackup(backupsDir: string, name: string): Promise<BackupManifest> {
  if (!listBackups(backupsDir).some((b) => b.name === name)) throw new BackupError(`there is no backup named ${JSON.stringify(name)}.`);
  return verifyBackup(join(resolve(backupsDir), name));
}

/** Reads a backup's manifest and checks every file against its checksum. */
export async function verifyBackup(dir: string): Promise<BackupManifest> {
  const manifest = readManifest(dir);
  for (const file of manifest.files) {
    const path = join(resolve(dir), file.path);
    if (!existsSync(path)) throw new BackupError(`the backup is incomplete: ${file.path} is missing.`);
    if ((await sha256(path)) !== file.sha256) throw new BackupError(`the backup is damaged: ${file.path} does not match its checksum.`);
  }
  return manifest;
}

export interface RestoreReport {
  manifest: BackupManifest;
  reErased: number;
  migratedFrom: number | null;
}

/**
 * Restores a backup into a new file next to `dbPath`, then swaps it in. The erasure ledger and
 * its key are taken from the file being replaced (when there is one) and re-applied, so a
 * participant erased after the backup was made stays erased.
 */
export async function restoreDatabase(dir: string, dbPath: string): Promise<RestoreReport> {
  const manifest = await verifyBackup(dir);
  let ledger: { subject_hash: string; erased_at: string; rows_removed: number }[] = [];
  let secret: { secret_hex: string; created_at: string }[] = [];
  if (existsSync(dbPath)) {
    // Also the check that no server holds the file (DatabaseLockedError otherwise).
    const current = await openExclusive(dbPath);
    try {
      const tables = new Set(Object.keys(await tableCounts(current.db)));
      if (tables.has("erasure_ledger")) ledger = await current.db.all(loadSql("ops/erasure_ledger_rows"));
      if (tables.has("ops_secret")) secret = await current.db.all(loadSql("ops/ledger_secrets"));
    } finally {
      current.close();
    }
  }
  const fresh = siblingPath(dbPath, "restore");
  const handle = await openExclusive(fresh);
  let report: RestoreReport;
  try {
    const { db } = handle;
    await db.run(databaseSql.import(join(resolve(dir), DATA_DIR)));
    const counts = await tableCounts(db);
    for (const [table, rows] of Object.entries(manifest.tables)) {
      if (counts[table] !== rows) throw new BackupError(`restored ${counts[table] ?? 0} rows of ${table}, the manifest says ${rows}: the restore is abandoned.`);
    }
    const migration = await migrateDatabase(db);
    await applySchema(db);
    if (secret.length > 0) {
      await db.run(loadSql("ops/ledger_secret_clear"));
      for (const s of secret) await db.run(loadSql("ops/ledger_secret_restore"), s);
    }
    for (const row of ledger) {
      await db.run(loadSql("ops/erasure_ledger_restore"), row);
    }
    const reErased = await applyErasureLedger(db);
    await db.run(loadSql("ops/rebuild_needed_clear"));
    await db.run(loadSql("db/checkpoint"));
    report = { manifest, reErased, migratedFrom: migration.from };
  } catch (error) {
    handle.close();
    rmSync(fresh, { force: true });
    rmSync(`${fresh}.wal`, { force: true });
    throw error;
  }
  handle.close();
  // The restored file holds no deleted bytes of re-erased rows only after a rebuild; a restore
  // is rare, so do it whenever the ledger erased something.
  if (report.reErased > 0) {
    await rebuildDatabaseFile(fresh);
  }
  swapInto(fresh, resolve(dbPath));
  return report;
}
