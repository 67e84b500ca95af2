import { getConfig } from "../config.server.ts";
import { openAppDatabase, type Db } from "./database.server.ts";

// One handle for the server process, kept on globalThis so it survives dev reloads.
const globalForDb = globalThis as typeof globalThis & { __binomeDb?: Promise<Db> };

/** The server's database handle (the server process is DuckDB's single writer). */
export function getAppDb(): Promise<Db> {
  globalForDb.__binomeDb ??= openAppDatabase(getConfig().dbPath);
  return globalForDb.__binomeDb;
}
