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
 * The connection that web imports (and their dry runs) use: a second connection of the same
 * database, so an import's open transaction never captures a page's queries, and the pages read
 * the data as it was until the import commits.
 */
export function getImportDb(): Promise<Db> {
  globalForDb.__binomeImportDb ??= getAppDb().then((db) => db.connectAgain());
  return globalForDb.__binomeImportDb;
}
