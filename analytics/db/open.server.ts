/**
 * What the server and every CLI open a database file with: an older file is migrated
 * (`migrate.server.ts`), then the current schema applied (`applySchema`).
 */
import type { DuckDBInstance } from "@duckdb/node-api";
import { applySchema, openDatabaseInstance, type Db } from "./database.server.ts";
import { migrateDatabase } from "./migrate.server.ts";

/** Opens a database, migrates an older file and applies the schema: what the server and every CLI start with. */
export async function openAppDatabase(path: string): Promise<Db> {
  return (await openAppDatabaseInstance(path)).db;
}

/** `openAppDatabase`, also returning the instance (see `openDatabaseInstance`). */
export async function openAppDatabaseInstance(path: string): Promise<{ db: Db; instance: DuckDBInstance }> {
  const { db, instance } = await openDatabaseInstance(path);
  try {
    // An older file is upgraded first (never dropping data); a newer one is refused.
    const report = await migrateDatabase(db);
    // What an upgrade changed in the data is said once, on stderr (and in the audit log).
    for (const step of report.applied) for (const note of step.notes) process.stderr.write(`Database upgraded (version ${step.version}, ${step.name}): ${note}\n`);
    await applySchema(db);
  } catch (error) {
    db.close();
    instance.closeSync();
    throw error;
  }
  return { db, instance };
}
