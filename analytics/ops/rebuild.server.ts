import { existsSync, rmSync } from "node:fs";
import type { Db } from "../db/database.server.ts";
import { countRowsSql, databaseSql } from "../db/generated-sql.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { openExclusive, siblingPath, swapInto } from "./file-db.server.ts";

const REBUILD_ALIAS = "binome_rebuild";

/** Rows per base table of a catalog (`main`'s database or the attached copy). */
async function rowCounts(db: Db, catalog: string): Promise<Map<string, number>> {
  const tables = await db.all<{ table_name: string }>(loadSql("db/base_tables"), { catalog });
  const out = new Map<string, number>();
  for (const { table_name } of tables) {
    const [{ n }] = await db.all<{ n: number }>(countRowsSql(table_name, catalog));
    out.set(table_name, n);
  }
  return out;
}

/**
 * Writes a copy of the open database into the new file `fresh`: COPY FROM DATABASE writes every
 * table, view and macro, and leaves none of the free blocks where deleted rows' bytes stay. The
 * copy records when it was rebuilt (`ops_state.rebuilt_at`, UTC, no more `rebuild_needed_since`), and
 * its row counts are checked against the source's. Nothing may write to the database meanwhile
 * (the CLI holds it alone; the server holds its gate). `fresh` is removed on failure.
 */
export async function copyDatabaseInto(db: Db, fresh: string): Promise<void> {
  try {
    const [{ name }] = await db.all<{ name: string }>(loadSql("db/current_database"));
    const before = await rowCounts(db, name);
    await db.run(databaseSql.attach(fresh, REBUILD_ALIAS));
    try {
      await db.run(databaseSql.copyInto(name, REBUILD_ALIAS));
      const after = await rowCounts(db, REBUILD_ALIAS);
      for (const [table, n] of before) {
        if (after.get(table) !== n) throw new Error(`the rebuilt copy has ${after.get(table) ?? "no"} rows in ${table}, the database ${n}; the original is untouched`);
      }
      for (const statement of databaseSql.markRebuilt(REBUILD_ALIAS)) await db.run(statement);
      await db.run(databaseSql.checkpoint(REBUILD_ALIAS));
    } finally {
      await db.run(databaseSql.detach(REBUILD_ALIAS));
    }
    if (existsSync(`${fresh}.wal`)) throw new Error(`the rebuilt file ${fresh} was not checkpointed; the original is untouched`);
  } catch (error) {
    rmSync(fresh, { force: true });
    rmSync(`${fresh}.wal`, { force: true });
    throw error;
  }
}

/**
 * Rebuilds a database file so that deleted rows leave no bytes behind: DuckDB keeps them in
 * free blocks until the file is rewritten. The copy (`copyDatabaseInto`) then replaces the old
 * file in a single rename. Needs the file to itself: while another process holds it, this
 * throws DatabaseLockedError. (The running server rebuilds its own file with
 * `compactServerDatabase`.)
 */
export async function rebuildDatabaseFile(path: string): Promise<void> {
  const fresh = siblingPath(path, "rebuild");
  const source = await openExclusive(path);
  try {
    // Its write-ahead log folded in: nothing of it is left behind when the file is replaced.
    await source.db.run(loadSql("db/checkpoint"));
    await copyDatabaseInto(source.db, fresh);
  } finally {
    source.close();
  }
  swapInto(fresh, path);
}
