/**
 * Schema versions: a database file records its version in `schema_meta`; a newer Binôme
 * upgrades an older file before applying the current schema, and never drops data silently:
 * each step runs in one transaction that is rolled back when any table lost a row or a column.
 */
import { SCHEMA_VERSION, withMemoryDatabase, type Db } from "./database.server.ts";
import { countRowsSql, upgradeSql } from "./generated-sql.server.ts";
import { listSql, loadSql } from "./sql-files.server.ts";
import { ORG_ID_PATTERN, isOrgId } from "../domain/identifiers.ts";
import { inTransaction } from "./transaction.server.ts";

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

export interface Migration {
  /** The version the file has after this step. */
  version: number;
  name: string;
  up(db: Db): Promise<string[]>;
}

interface ColumnInfo {
  table_name: string;
  column_name: string;
  data_type: string;
  is_nullable: string;
}

const COLUMNS_SQL = "db/columns";

/** The current schema's columns, from a scratch in-memory database. */
async function currentColumns(): Promise<ColumnInfo[]> {
  return withMemoryDatabase((scratch) => scratch.all<ColumnInfo>(loadSql(COLUMNS_SQL)));
}

/**
 * Version 1 (the first recorded): files made before versions were recorded may lack columns
 * added since. Each missing column that may be null is added (empty for old rows); a missing
 * required column cannot be invented, so the upgrade stops and says which. Tables that do not
 * exist are created afterwards by the schema files.
 */
async function addMissingColumns(db: Db): Promise<string[]> {
  const present = await db.all<ColumnInfo>(loadSql(COLUMNS_SQL));
  const tables = new Set(present.map((c) => c.table_name));
  const have = new Set(present.map((c) => `${c.table_name}.${c.column_name}`));
  const notes: string[] = [];
  for (const column of await currentColumns()) {
    if (!tables.has(column.table_name) || have.has(`${column.table_name}.${column.column_name}`)) continue;
    if (column.is_nullable === "NO") {
      const [{ n }] = await db.all<{ n: number }>(countRowsSql(column.table_name));
      if (n > 0) throw new MigrationError(`${column.table_name}.${column.column_name} is required now and the file has no value for its ${n} rows; re-import the programs from their exports.`);
      await db.run(upgradeSql.dropTable(column.table_name));
      notes.push(`${column.table_name}: empty table recreated with the current columns`);
      tables.delete(column.table_name);
      continue;
    }
    await db.run(upgradeSql.addColumn(column.table_name, column.column_name, column.data_type));
    notes.push(`${column.table_name}.${column.column_name} added (empty for the existing rows)`);
  }
  return notes;
}

/** Every table that holds an organization id, each with its rename statement (sql/ops/org_rename_<table>.sql). */
const ORG_ID_TABLES = ["organizations", "participants", "costs", "users", "ops_snapshot_participants", "ops_snapshot_costs", "workforce", "ops_snapshot_workforce"] as const;

/** Who the migration's audit entries name (no person: the upgrade at start-up). */
const MIGRATION_ACTOR = { user_id: "binome-migration", role: "system" };

/**
 * Version 2 (decision 0014): organization ids that break the identifier rule
 * (analytics/domain/identifiers.ts) — `*`, blank, spaces, control characters, which older
 * imports accepted — are renamed everywhere they are stored, to `invalid-org-N` (N = 1, 2, …
 * in the order of the old ids, skipping ids already taken): an organization imported as `*`
 * no longer reads as "every organization", and its people, costs and users stay together under
 * the new id. Each rename is written to the audit log (old id, new id, rows per table) and
 * returned as a note (printed on stderr at start-up). The tables a file lacks are created
 * first (the schema files would create them right after anyway).
 */
export async function renameInvalidOrgIds(db: Db, now: number = Date.now()): Promise<string[]> {
  for (const name of listSql("schema")) await db.run(loadSql(name));
  const ids = await db.all<{ org_id: string; valid: boolean }>(loadSql("ops/org_ids"), { pattern: ORG_ID_PATTERN });
  const taken = new Set(ids.map((r) => r.org_id));
  const notes: string[] = [];
  let n = 0;
  for (const { org_id: oldId } of ids.filter((r) => !r.valid)) {
    let newId: string;
    do newId = `invalid-org-${++n}`;
    while (taken.has(newId));
    taken.add(newId);
    if (!isOrgId(newId)) throw new MigrationError(`internal: ${newId} breaks the organization identifier rule`);
    const rows: Record<string, number> = {};
    for (const table of ORG_ID_TABLES) {
      const changed = await db.all(loadSql(`ops/org_rename_${table}`), { old_org_id: oldId, new_org_id: newId });
      if (changed.length > 0) rows[table] = changed.length;
    }
    const what = Object.entries(rows).map(([table, count]) => `${count} ${table}`).join(", ");
    notes.push(`organization id ${JSON.stringify(oldId)} is not a valid identifier: renamed ${newId} (${what})`);
    await db.run(loadSql("auth/audit_insert"), {
      now,
      ...MIGRATION_ACTOR,
      org_id: null,
      action: "rename_organization",
      program_id: null,
      details: JSON.stringify({ from: oldId, to: newId, rows, reason: "not a valid organization identifier (decision 0014)" }),
    });
  }
  return notes;
}

/** Whether a file at the current version still holds an organization id that breaks the rule. */
async function hasInvalidOrgIds(db: Db): Promise<boolean> {
  const tables = new Set((await db.all<{ table_name: string }>(loadSql("db/tables"))).map((r) => r.table_name));
  // A table missing: let the step create it and look (it changes nothing when every id is valid).
  if (!ORG_ID_TABLES.every((t) => tables.has(t))) return true;
  const ids = await db.all<{ valid: boolean }>(loadSql("ops/org_ids"), { pattern: ORG_ID_PATTERN });
  return ids.some((r) => !r.valid);
}

export const MIGRATIONS: Migration[] = [
  { version: 1, name: "record the schema version; add the columns older files lack", up: addMissingColumns },
  { version: 2, name: "rename the organization ids that break the identifier rule", up: (db) => renameInvalidOrgIds(db) },
  // Version 3 (issue 15): programs.previous_program_id, the previous edition (nullable: empty for the existing programs).
  { version: 3, name: "add programs.previous_program_id (the previous edition)", up: addMissingColumns },
  // Version 4 (issue 13): the optional workforce file, stored in workforce and its undo
  // snapshots, and each program's cost per departure (program_impact).
  { version: 4, name: "add the workforce table (the eligible population, for the impact figures) and program_impact", up: addWorkforce },
  // Version 5 (issue 17): the mapping_presets table.
  { version: 5, name: "add the mapping_presets table (saved mappings)", up: createMappingPresets },
];

/**
 * Version 4 (issue 13): the table of the optional `workforce` file and its undo-snapshot table,
 * and program_impact (the operator's cost per departure), all empty; nothing else changes (the
 * programs get a workforce at their next import).
 */
async function addWorkforce(db: Db): Promise<string[]> {
  const before = new Set((await db.all<{ table_name: string }>(loadSql("db/tables"))).map((r) => r.table_name));
  for (const name of ["schema/12_workforce", "schema/40_ops_snapshots", "schema/45_program_impact"]) await db.run(loadSql(name));
  return ["workforce", "ops_snapshot_workforce", "program_impact"].filter((t) => !before.has(t)).map((t) => `${t}: table added (empty)`);
}

/** Version 5 (issue 17): the table of saved mapping presets (sql/schema/46_mapping_presets.sql); nothing else changes. */
async function createMappingPresets(db: Db): Promise<string[]> {
  const tables = new Set((await db.all<{ table_name: string }>(loadSql("db/tables"))).map((r) => r.table_name));
  if (tables.has("mapping_presets")) return [];
  await db.run(loadSql("schema/46_mapping_presets"));
  return ["mapping_presets: table created (saved mapping presets)"];
}

/** The file's schema version: null for a new (empty) file, 0 for a file from before versions. */
export async function detectSchemaVersion(db: Db): Promise<number | null> {
  const tables = new Set((await db.all<{ table_name: string }>(loadSql("db/tables"))).map((r) => r.table_name));
  if (tables.has("schema_meta")) {
    const [{ v }] = await db.all<{ v: number | null }>(loadSql("db/schema_version"));
    return v ?? 0;
  }
  return tables.has("programs") ? 0 : null;
}

async function tableShape(db: Db): Promise<Map<string, { rows: number; columns: Set<string> }>> {
  const shape = new Map<string, { rows: number; columns: Set<string> }>();
  for (const c of await db.all<ColumnInfo>(loadSql(COLUMNS_SQL))) {
    if (!shape.has(c.table_name)) {
      const [{ n }] = await db.all<{ n: number }>(countRowsSql(c.table_name));
      shape.set(c.table_name, { rows: n, columns: new Set() });
    }
    shape.get(c.table_name)!.columns.add(c.column_name);
  }
  return shape;
}

async function missingColumns(db: Db): Promise<number> {
  const present = await db.all<ColumnInfo>(loadSql(COLUMNS_SQL));
  const tables = new Set(present.map((c) => c.table_name));
  const have = new Set(present.map((c) => `${c.table_name}.${c.column_name}`));
  return (await currentColumns()).filter((c) => tables.has(c.table_name) && !have.has(`${c.table_name}.${c.column_name}`)).length;
}

/** Runs one step in a transaction that is rolled back if a table lost a row or a column. */
async function guardedStep(db: Db, step: Migration, version: number): Promise<string[]> {
  const before = await tableShape(db);
  return inTransaction(db, async () => {
    const notes = await step.up(db);
    const after = await tableShape(db);
    for (const [table, was] of before) {
      const now = after.get(table);
      const recreatedEmpty = was.rows === 0 && notes.some((n) => n.startsWith(`${table}: empty table recreated`));
      if (recreatedEmpty) continue;
      if (!now) throw new MigrationError(`migration ${step.version} (${step.name}) would drop the table ${table}`);
      if (now.rows < was.rows) throw new MigrationError(`migration ${step.version} (${step.name}) would lose ${was.rows - now.rows} rows of ${table}`);
      for (const column of was.columns) if (!now.columns.has(column)) throw new MigrationError(`migration ${step.version} (${step.name}) would drop ${table}.${column}`);
    }
    await db.run(loadSql("schema/10_schema_meta"));
    await db.run(loadSql("db/schema_meta_clear"));
    await db.run(loadSql("db/schema_version_insert"), { v: version });
    return notes;
  });
}

export interface MigrationReport {
  from: number | null;
  to: number;
  applied: { version: number; name: string; notes: string[] }[];
}

/** Upgrades the file to `target` (default: this code's SCHEMA_VERSION). Call before `applySchema`. */
export async function migrateDatabase(db: Db, target = SCHEMA_VERSION, migrations = MIGRATIONS): Promise<MigrationReport> {
  const from = await detectSchemaVersion(db);
  const report: MigrationReport = { from, to: from ?? target, applied: [] };
  if (from === null) return report;
  if (from > target) {
    throw new MigrationError(`The database has schema version ${from}, made by a newer Binôme; this one knows up to ${target}. Upgrade Binôme (the file is left as it is).`);
  }
  for (const step of migrations.filter((m) => m.version > from && m.version <= target).sort((a, b) => a.version - b.version)) {
    const notes = await guardedStep(db, step, step.version);
    report.applied.push({ version: step.version, name: step.name, notes });
    report.to = step.version;
  }
  // A file that an older start-up marked current without upgrading it (applySchema records the
  // version of an unversioned file) may still lack columns: add them, under the same guard.
  if (report.applied.length === 0 && report.to === target && (await missingColumns(db)) > 0) {
    const notes = await guardedStep(db, { version: target, name: "add the columns the file lacks", up: addMissingColumns }, target);
    report.applied.push({ version: target, name: "add the columns the file lacks", notes });
  }
  // Likewise an organization id that breaks the rule in a file marked current (decision 0014).
  if (report.applied.length === 0 && report.to === target && target >= 2 && migrations === MIGRATIONS && (await hasInvalidOrgIds(db))) {
    const name = "rename the organization ids that break the identifier rule";
    const notes = await guardedStep(db, { version: target, name, up: (d) => renameInvalidOrgIds(d) }, target);
    report.applied.push({ version: target, name, notes });
  }
  return report;
}
