import { existsSync, rmSync } from "node:fs";
import type { Db } from "../db/database.server.ts";
import { openExclusive, siblingPath, sqlString, swapInto } from "./file-db.server.ts";

const REBUILD_ALIAS = "binome_rebuild";

/** Rows per base table of a catalog (`main`'s database or the attached copy). */
async function rowCounts(db: Db, catalog: string): Promise<Map<string, number>> {
  const tables = await db.all<{ table_name: string }>(
    "select table_name from information_schema.tables where table_schema = 'main' and table_type = 'BASE TABLE' and table_catalog = $catalog order by 1",
    { catalog },
  );
  const out = new Map<string, number>();
  for (const { table_name } of tables) {
    const [{ n }] = await db.all<{ n: number }>(`select count(*) as n from ${quoteIdent(catalog)}.main.${quoteIdent(table_name)}`);
    out.set(table_name, n);
  }
  return out;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Writes a copy of the open database into the new file `fresh`: COPY FROM DATABASE writes every
 * table, view and macro, and leaves none of the free blocks where deleted rows' bytes stay. The
 * copy records when it was rebuilt (`ops_state.rebuilt_at`, UTC, no more `rebuild_needed_since`), and
 * its row counts are checked against the source's. Nothing may write to the database meanwhile
 * (the CLI holds it alone; the server holds its gate). `fresh` is removed on failure.
 */
export async function copyDatabaseInto(db: Db, fresh: string): Promise<void> {
  try {
    const [{ name }] = await db.all<{ name: string }>("select current_database() as name");
    const before = await rowCounts(db, name);
    await db.run(`attach ${sqlString(fresh)} as ${REBUILD_ALIAS}`);
    try {
      await db.run(`copy from database ${quoteIdent(name)} to ${REBUILD_ALIAS}`);
      const after = await rowCounts(db, REBUILD_ALIAS);
      for (const [table, n] of before) {
        if (after.get(table) !== n) throw new Error(`the rebuilt copy has ${after.get(table) ?? "no"} rows in ${table}, the database ${n}; the original is untouched`);
      }
      await db.run(`delete from ${REBUILD_ALIAS}.main.ops_state where state_key in ('rebuild_needed_since', 'rebuilt_at')`);
      await db.run(`insert into ${REBUILD_ALIAS}.main.ops_state values ('rebuilt_at', strftime(timezone('UTC', current_timestamp), '%Y-%m-%d %H:%M:%S'))`);
      await db.run(`checkpoint ${REBUILD_ALIAS}`);
    } finally {
      await db.run(`detach ${REBUILD_ALIAS}`);
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
    await source.db.run("checkpoint");
    await copyDatabaseInto(source.db, fresh);
  } finally {
    source.close();
  }
  swapInto(fresh, path);
}
