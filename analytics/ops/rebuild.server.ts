import { existsSync, rmSync } from "node:fs";
import { openExclusive, siblingPath, sqlString, swapInto } from "./file-db.server.ts";

/**
 * Rebuilds a database file so that deleted rows leave no bytes behind: DuckDB keeps them in
 * free blocks until the file is rewritten. COPY FROM DATABASE writes every table, view and
 * macro into a new file, which then replaces the old one in a single rename. Needs the file
 * to itself: while the server holds it, this throws DatabaseLockedError.
 */
export async function rebuildDatabaseFile(path: string): Promise<void> {
  const fresh = siblingPath(path, "rebuild");
  const source = await openExclusive(path);
  try {
    const { db } = source;
    await db.run("delete from ops_state where state_key = 'rebuild_needed_since'");
    await db.run("checkpoint");
    const [{ name }] = await db.all<{ name: string }>("select current_database() as name");
    await db.run(`attach ${sqlString(fresh)} as binome_rebuild`);
    await db.run(`copy from database "${name.replace(/"/g, '""')}" to binome_rebuild`);
    await db.run("detach binome_rebuild");
  } catch (error) {
    source.close();
    rmSync(fresh, { force: true });
    rmSync(`${fresh}.wal`, { force: true });
    throw error;
  }
  source.close();
  if (existsSync(`${fresh}.wal`)) throw new Error(`the rebuilt file ${fresh} was not checkpointed; the original is untouched`);
  swapInto(fresh, path);
}
