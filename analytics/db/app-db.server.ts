import { getConfig } from "../config.server.ts";
import { openAppDatabase, type Db } from "./database.server.ts";

// One handle for the server process, kept on globalThis so it survives dev reloads.
const globalForDb = globalThis as typeof globalThis & { __binomeDb?: Promise<Db>; __binomeImportDb?: Promise<Db> };

/** The server's database handle (the server process is DuckDB's single writer). */
export function getAppDb(): Promise<Db> {
  globalForDb.__binomeDb ??= openAppDatabase(getConfig().dbPath);
  return globalForDb.__binomeDb;
}

/**
 * The data-operations connection: web imports and their dry runs, program deletion, undo and
 * erasure. A second connection of the same database, so that their transactions never capture
 * a page's statements (a DuckDB transaction belongs to the connection, not to the request), and
 * the pages read the data as it was until the operation commits. Operations on it take the ops
 * lock (`withOpsLock`), one at a time.
 */
export function getImportDb(): Promise<Db> {
  globalForDb.__binomeImportDb ??= getAppDb().then((db) => db.connectAgain());
  return globalForDb.__binomeImportDb;
}

/**
 * For a stopping server: interrupts and closes the import connection (an import's transaction
 * rolls back; the history then reads "interrupted"), then the pages' connection, each waiting at
 * most `timeoutMs` for its running queries. Returns false when one of them did not settle (it is
 * left open: the process may exit, committed data is in DuckDB's WAL).
 */
export async function closeAppDatabases(timeoutMs = 2500): Promise<boolean> {
  let settled = true;
  for (const handle of [globalForDb.__binomeImportDb, globalForDb.__binomeDb]) {
    const db = handle ? await handle.catch(() => null) : null;
    if (db && !(await db.closeWhenIdle(timeoutMs))) settled = false;
  }
  globalForDb.__binomeImportDb = undefined;
  globalForDb.__binomeDb = undefined;
  return settled;
}
