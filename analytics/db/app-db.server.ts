import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { getConfig } from "../config.server.ts";
import { openDatabaseInstance, type Db, type Params } from "./database.server.ts";
import { StatementGate, statementKind } from "./gate.server.ts";
import { openAppDatabaseInstance } from "./open.server.ts";

/**
 * The server's database: one DuckDB instance of the file and the connections made from it (the
 * pages' and the data-operations'), each handed out as a `Db` whose statements pass through one
 * gate. A maintenance (the online rebuild after an erasure, decision 0013) holds the writes
 * while it copies the database, then every statement while it closes every connection and the
 * instance, swaps the file and opens it again: the handles stay the same objects, their
 * statements wait meanwhile, then run on the new file.
 */
export class ServerDatabase {
  readonly gate = new StatementGate();
  readonly path: string;
  private instance: DuckDBInstance;
  /** Every connection made from the instance: all must be closed for the instance to let the file go. */
  private readonly slots: { inner: Db }[];

  private constructor(path: string, instance: DuckDBInstance, first: Db) {
    this.path = path;
    this.instance = instance;
    this.slots = [{ inner: first }];
  }

  static async open(path: string): Promise<ServerDatabase> {
    const { db, instance } = await openAppDatabaseInstance(path);
    return new ServerDatabase(db.path, instance, db);
  }

  /** The handle of the first connection (the pages'). */
  get primary(): Db {
    return this.handle(this.slots[0]);
  }

  private handle(slot: { inner: Db }): Db {
    const gate = this.gate;
    return {
      get path() {
        return slot.inner.path;
      },
      // Read at each use: after a swap it is the new connection. Code that uses it directly
      // (prepared report queries, the Arrow export) runs inside the marts' queue
      // (`withProgramMarts`), which a maintenance holds while it swaps.
      get connection(): DuckDBConnection {
        return slot.inner.connection;
      },
      run: (sql: string, params?: Params) => gate.pass(statementKind(sql), () => slot.inner.run(sql, params)),
      all: <T>(sql: string, params?: Params) => gate.pass(statementKind(sql), () => slot.inner.all<T>(sql, params)),
      connectAgain: () => gate.pass("write", () => this.connectAgain()),
      close: () => slot.inner.close(),
      closeWhenIdle: (timeoutMs: number) => slot.inner.closeWhenIdle(timeoutMs),
    };
  }

  private async connectAgain(): Promise<Db> {
    const slot = { inner: await this.slots[0].inner.connectAgain() };
    this.slots.push(slot);
    return this.handle(slot);
  }

  /**
   * For a maintenance holding the gate (`gate.maintain`): the connection underneath a handle,
   * whose statements do not wait for the gate.
   */
  underlying(handle: Db): Db {
    const slot = this.slots.find((s) => s.inner.connection === handle.connection);
    if (!slot) throw new Error(`underlying: this handle is not a connection of ${this.path}`);
    return slot.inner;
  }

  /**
   * For a maintenance holding the gate: closes every connection and the instance (DuckDB then
   * releases the file: nothing else in the process holds it), runs `work` (e.g. one rename over
   * the file), and opens the file again, with as many connections as before. The file is
   * reopened even when `work` throws. Returns each old connection with its replacement (the
   * marts' state moves from one to the other).
   */
  async reopen(work: () => void): Promise<{ from: DuckDBConnection; to: Db }[]> {
    const before = this.slots.map((s) => s.inner.connection);
    for (const slot of this.slots) slot.inner.close();
    this.instance.closeSync();
    let failure: unknown = null;
    try {
      work();
    } catch (error) {
      failure = error;
    }
    // The same schema as before (a copy, or the old file): no migration to run again.
    const { db, instance } = await openDatabaseInstance(this.path);
    this.instance = instance;
    this.slots[0].inner = db;
    for (const slot of this.slots.slice(1)) slot.inner = await db.connectAgain();
    if (failure) throw failure;
    return this.slots.map((slot, i) => ({ from: before[i], to: slot.inner }));
  }
}

// One database for the server process, kept on globalThis so it survives dev reloads and is
// shared by server/start.ts (run by tsx) and the Remix build, which each load this module.
const globalForDb = globalThis as typeof globalThis & {
  __binomeServerDb?: Promise<ServerDatabase>;
  __binomeDb?: Promise<Db>;
  __binomeImportDb?: Promise<Db>;
};

/** The server's database handle (the server process is DuckDB's single writer). */
export function getAppDb(): Promise<Db> {
  globalForDb.__binomeDb ??= getServerDatabase().then((server) => server.primary);
  return globalForDb.__binomeDb;
}

/**
 * The server's file with its gate, for the online rebuild; opened on first use. (Tests that put
 * their own database in `__binomeDb` have none: `serverDatabaseIfOpen` then says null.)
 */
export function getServerDatabase(): Promise<ServerDatabase> {
  globalForDb.__binomeServerDb ??= ServerDatabase.open(getConfig().dbPath);
  return globalForDb.__binomeServerDb;
}

/** The server's database if this process opened one (not a test's injected handle). */
export async function serverDatabaseIfOpen(): Promise<ServerDatabase | null> {
  return globalForDb.__binomeServerDb ? await globalForDb.__binomeServerDb.catch(() => null) : null;
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
  globalForDb.__binomeServerDb = undefined;
  return settled;
}
