/**
 * Backups: the whole database as Parquet (DuckDB's EXPORT DATABASE) with a manifest of
 * versions, checksums and row counts; a restore builds a new file from them, re-applies the
 * erasure ledger of the file it replaces, and swaps it in with one rename.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { SCHEMA_VERSION, applySchema, type Db } from "../db/database.server.ts";
import { applyErasureLedger } from "./erasure.server.ts";
import { openExclusive, siblingPath, sqlString, swapInto } from "./file-db.server.ts";
import { detectSchemaVersion, migrateDatabase } from "./migrate.server.ts";

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

function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else out.push(path);
  }
  return out.sort();
}

async function tableCounts(db: Db): Promise<Record<string, number>> {
  const tables = await db.all<{ table_name: string }>(
    "select table_name from information_schema.tables where table_schema = 'main' and table_type = 'BASE TABLE' and table_catalog = current_database() order by 1",
  );
  const out: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [{ n }] = await db.all<{ n: number }>(`select count(*) as n from "${table_name.replace(/"/g, '""')}"`);
    out[table_name] = n;
  }
  return out;
}

/** Writes a backup of the database file into `dir` (which must be new or empty). */
export async function backupDatabase(dbPath: string, dir: string): Promise<BackupManifest> {
  const target = resolve(dir);
  if (existsSync(target) && readdirSync(target).length > 0) throw new BackupError(`${target} is not empty: give a new folder for each backup.`);
  if (!existsSync(dbPath)) throw new BackupError(`no database at ${dbPath}`);
  mkdirSync(target, { recursive: true });
  const handle = await openExclusive(dbPath);
  let manifest: BackupManifest;
  try {
    const { db } = handle;
    await db.run("checkpoint");
    const [{ version }] = await db.all<{ version: string }>("select version() as version");
    const tables = await tableCounts(db);
    await db.run(`export database ${sqlString(join(target, DATA_DIR))} (format parquet)`);
    manifest = {
      format: "binome-backup",
      format_version: 1,
      created_at: new Date().toISOString(),
      source: resolve(dbPath),
      schema_version: await detectSchemaVersion(db),
      code_schema_version: SCHEMA_VERSION,
      duckdb_version: version,
      tables,
      files: [],
    };
  } finally {
    handle.close();
  }
  manifest.files = listFiles(join(target, DATA_DIR)).map((path) => ({ path: relative(target, path), bytes: statSync(path).size, sha256: sha256(path) }));
  writeFileSync(join(target, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Reads a backup's manifest and checks every file against its checksum. */
export function verifyBackup(dir: string): BackupManifest {
  const manifestPath = join(resolve(dir), MANIFEST);
  if (!existsSync(manifestPath)) throw new BackupError(`${dir} has no ${MANIFEST}: not a Binôme backup.`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as BackupManifest;
  if (manifest.format !== "binome-backup") throw new BackupError(`${manifestPath} is not a Binôme backup manifest.`);
  for (const file of manifest.files) {
    const path = join(resolve(dir), file.path);
    if (!existsSync(path)) throw new BackupError(`the backup is incomplete: ${file.path} is missing.`);
    if (sha256(path) !== file.sha256) throw new BackupError(`the backup is damaged: ${file.path} does not match its checksum.`);
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
  const manifest = verifyBackup(dir);
  let ledger: { subject_hash: string; erased_at: string; rows_removed: number }[] = [];
  let secret: { secret_hex: string; created_at: string }[] = [];
  if (existsSync(dbPath)) {
    // Also the check that no server holds the file (DatabaseLockedError otherwise).
    const current = await openExclusive(dbPath);
    try {
      const tables = new Set(Object.keys(await tableCounts(current.db)));
      if (tables.has("erasure_ledger")) ledger = await current.db.all("select subject_hash, erased_at::varchar as erased_at, rows_removed from erasure_ledger");
      if (tables.has("ops_secret")) secret = await current.db.all("select secret_hex, created_at::varchar as created_at from ops_secret");
    } finally {
      current.close();
    }
  }
  const fresh = siblingPath(dbPath, "restore");
  const handle = await openExclusive(fresh);
  let report: RestoreReport;
  try {
    const { db } = handle;
    await db.run(`import database ${sqlString(join(resolve(dir), DATA_DIR))}`);
    const counts = await tableCounts(db);
    for (const [table, rows] of Object.entries(manifest.tables)) {
      if (counts[table] !== rows) throw new BackupError(`restored ${counts[table] ?? 0} rows of ${table}, the manifest says ${rows}: the restore is abandoned.`);
    }
    const migration = await migrateDatabase(db);
    await applySchema(db);
    if (secret.length > 0) {
      await db.run("delete from ops_secret");
      for (const s of secret) await db.run("insert into ops_secret values ($secret_hex, $created_at::timestamp)", s);
    }
    for (const row of ledger) {
      await db.run(
        "insert into erasure_ledger select $subject_hash, $erased_at::timestamp, $rows_removed where not exists (select 1 from erasure_ledger where subject_hash = $subject_hash)",
        row,
      );
    }
    const reErased = await applyErasureLedger(db);
    await db.run("delete from ops_state where state_key = 'rebuild_needed_since'");
    await db.run("checkpoint");
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
    const { rebuildDatabaseFile } = await import("./rebuild.server.ts");
    await rebuildDatabaseFile(fresh);
  }
  swapInto(fresh, resolve(dbPath));
  return report;
}
