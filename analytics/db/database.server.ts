import {
  DuckDBConnection,
  DuckDBInstance,
  DuckDBTypeId,
  type DuckDBPreparedStatement,
  type DuckDBResultReader,
  type DuckDBValue,
} from "@duckdb/node-api";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { listSql, loadSql } from "./sql-files.server.ts";

/** The schema version this code writes; recorded in `schema_meta`. */
export const SCHEMA_VERSION = 5;

/** Another process holds the database file (DuckDB allows one writing process per file). */
export class DatabaseLockedError extends Error {
  readonly path: string;
  readonly pid: number | null;
  constructor(path: string, pid: number | null) {
    super(
      `The database ${path} is in use by another process${pid ? ` (PID ${pid})` : ""}, ` +
        `probably the Binôme server: stop it first, or point --db at another file.`,
    );
    this.name = "DatabaseLockedError";
    this.path = path;
    this.pid = pid;
  }
}

export type Params = Record<string, DuckDBValue>;
export type Row = Record<string, unknown>;

export interface Db {
  readonly path: string;
  readonly connection: DuckDBConnection;
  /** Runs one statement for its effect. */
  run(sql: string, params?: Params): Promise<void>;
  /** Runs one statement and returns its rows as plain JSON-safe values (see `toPlainRows`). */
  all<T = Row>(sql: string, params?: Params): Promise<T[]>;
  /**
   * `all` through a statement prepared once per connection and bound again at each call: for
   * the queries run over and over with new parameters (the report's), whose planning (macros
   * expanded, CTEs optimized) costs more than running them on a small program.
   */
  allPrepared<T = Row>(sql: string, params: Params): Promise<T[]>;
  /**
   * Runs one statement and returns its result column-wise, as DuckDB's JS values (one array per
   * column) with the row count: for the Arrow export, which builds typed columns from them.
   */
  columns(sql: string, params?: Params): Promise<{ columns: Record<string, unknown[]>; rowCount: number }>;
  /**
   * Another connection to the same database (same instance): its transactions are isolated from
   * this one's, e.g. a web import next to the pages' reads.
   */
  connectAgain(): Promise<Db>;
  close(): void;
  /**
   * For a process that is stopping: interrupts the statement running on this connection, waits
   * (at most `timeoutMs`) for its queries to settle, then closes it. Returns false, leaving the
   * connection open, when they did not settle in time: closing a connection under a running
   * query can block the event loop for good. Committed data is safe either way (DuckDB's WAL).
   */
  closeWhenIdle(timeoutMs: number): Promise<boolean>;
}

/**
 * Opens (creating if needed) a DuckDB database file, or `:memory:`. One instance per file and
 * process (`fromCache`), one connection per `Db`.
 */
export async function openDatabase(path: string, options: { readOnly?: boolean } = {}): Promise<Db> {
  return (await openDatabaseInstance(path, options)).db;
}

/**
 * `openDatabase`, also returning the instance, for the one owner that closes it (the server,
 * to swap its file while it runs: `analytics/db/app-db.server.ts`). The instance lives as long
 * as this handle on it or any connection made from it.
 */
export async function openDatabaseInstance(path: string, options: { readOnly?: boolean } = {}): Promise<{ db: Db; instance: DuckDBInstance }> {
  const isMemory = path === ":memory:";
  const fullPath = isMemory ? path : resolve(path);
  if (!isMemory && !options.readOnly) mkdirSync(dirname(fullPath), { recursive: true });
  let instance: DuckDBInstance;
  try {
    instance = isMemory
      ? await DuckDBInstance.create(":memory:")
      : await DuckDBInstance.fromCache(fullPath, options.readOnly ? { access_mode: "READ_ONLY" } : {});
  } catch (error) {
    throw translateOpenError(error, fullPath);
  }
  const connection = await instance.connect();
  return { db: wrapConnection(fullPath, connection, instance), instance };
}

/** Statements prepared by `allPrepared`, per connection (its handles share them), by SQL text. */
const preparedStatements = new WeakMap<DuckDBConnection, Map<string, DuckDBPreparedStatement>>();

export function wrapConnection(path: string, connection: DuckDBConnection, instance?: DuckDBInstance): Db {
  /** Statements started on this connection and not settled yet. */
  let active = 0;
  let closed = false;
  const track = async <T>(work: () => Promise<T>): Promise<T> => {
    active++;
    try {
      return await work();
    } finally {
      active--;
    }
  };
  return {
    path,
    connection,
    async connectAgain() {
      if (!instance) throw new Error(`connectAgain: this handle on ${path} was made without its instance`);
      return wrapConnection(path, await instance.connect(), instance);
    },
    async run(sql, params) {
      await track(() => connection.run(sql, params));
    },
    async all<T>(sql: string, params?: Params) {
      const result = await track(() => connection.runAndReadAll(sql, params));
      return toPlainRows(result) as T[];
    },
    async allPrepared<T>(sql: string, params: Params) {
      let statements = preparedStatements.get(connection);
      if (!statements) preparedStatements.set(connection, (statements = new Map()));
      const result = await track(async () => {
        let statement = statements.get(sql);
        if (!statement) {
          statement = await connection.prepare(sql);
          statements.set(sql, statement);
        }
        statement.bind(params);
        return statement.runAndReadAll();
      });
      return toPlainRows(result) as T[];
    },
    async columns(sql, params) {
      const reader = await track(() => connection.runAndReadAll(sql, params));
      // DuckDB's own values are already the JS ones for these types: skip the converter (a
      // third of the time of the pairs Arrow export at 200,000 participants).
      const plain = reader.columnTypes().every((t) => PLAIN_COLUMN_TYPES.has(t.typeId));
      const columns = plain ? reader.getColumnsObject() : reader.getColumnsObjectJS();
      return { columns: columns as Record<string, unknown[]>, rowCount: reader.currentRowCount };
    },
    close() {
      if (closed) return;
      closed = true;
      connection.closeSync();
    },
    async closeWhenIdle(timeoutMs) {
      if (closed) return true;
      const deadline = Date.now() + timeoutMs;
      while (active > 0 && Date.now() < deadline) {
        connection.interrupt();
        await new Promise((r) => setTimeout(r, 10));
      }
      if (active > 0) return false;
      this.close();
      return true;
    },
  };
}

function translateOpenError(error: unknown, path: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/Could not set lock on file|Conflicting lock is held/i.test(message)) {
    const pid = /PID (\d+)/.exec(message);
    return new DatabaseLockedError(path, pid ? Number(pid[1]) : null);
  }
  return error instanceof Error ? error : new Error(message);
}

/**
 * Runs `fn` in one transaction on this connection. DuckDB silently discards a COMMIT after a
 * failed statement (STACK.md), so any failure rolls back and rethrows, and COMMIT only follows
 * success. Nothing else may use the connection meanwhile: its statements would join the
 * transaction (decision 0010). Data operations call it through `inTransaction`, which also
 * takes the operations lock.
 */
export async function runTransaction<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  try {
    return await runOpenTransaction(db, fn);
  } finally {
    // Bumped after a commit and after a failed one alike (DuckDB may have applied it).
    commits.set(db.path, (commits.get(db.path) ?? 0) + 1);
  }
}

/**
 * Transactions this process ended on each database file: the pages' cache reads a program's data
 * version again once it moved, rather than trusting a version read a moment before an import's
 * COMMIT (a web import's job says "done" right after its commit; the first report asked then
 * must show the new data). Writes from another process (`npm run ingest`) are seen on the
 * cache's next read of the version.
 */
const commits = new Map<string, number>();

export function commitStamp(db: Db): number {
  return commits.get(db.path) ?? 0;
}

async function runOpenTransaction<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  await db.run(loadSql("db/begin"));
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    await db.run(loadSql("db/rollback")).catch(() => undefined);
    throw error;
  }
  try {
    await db.run(loadSql("db/commit"));
  } catch (error) {
    await db.run(loadSql("db/rollback")).catch(() => undefined);
    throw error;
  }
  return result;
}

/** Creates the tables that do not exist yet and records the schema version. */
export async function applySchema(db: Db): Promise<void> {
  for (const name of listSql("schema")) await db.run(loadSql(name));
  const rows = await db.all<{ n: number }>(loadSql("db/schema_meta_count"));
  if (rows[0].n === 0) {
    await db.run(loadSql("db/schema_version_insert"), { v: SCHEMA_VERSION });
  }
}

/** Runs `fn` on a fresh in-memory database with the schema applied (tests). */
export async function withMemoryDatabase<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDatabase(":memory:");
  try {
    await applySchema(db);
    return await fn(db);
  } finally {
    db.close();
  }
}

const NUMERIC_AS_STRING = new Set<DuckDBTypeId>([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.DECIMAL,
]);

/** Column types whose DuckDB values are the JS ones (`getColumnsObject` = `getColumnsObjectJS`). */
const PLAIN_COLUMN_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.VARCHAR,
  DuckDBTypeId.BOOLEAN,
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE,
]);

/**
 * The one place where DuckDB values become plain JSON values: BIGINT, HUGEINT and DECIMAL
 * become numbers, DATE an ISO `YYYY-MM-DD` string, TIMESTAMP an ISO string, NULL `null`.
 */
export function toPlainRows(result: DuckDBResultReader): Row[] {
  const names = result.columnNames();
  const types = result.columnTypes();
  // DuckDB's own values are the JSON ones for the plain types (3 to 7 times faster to read at
  // 200,000 rows than through the JSON converter), but for a DOUBLE's NaN and infinities,
  // which JSON gives as strings.
  if (types.every((t) => PLAIN_COLUMN_TYPES.has(t.typeId))) {
    const rows = result.getRowObjects() as Row[];
    const doubles = names.filter((_, i) => types[i].typeId === DuckDBTypeId.DOUBLE || types[i].typeId === DuckDBTypeId.FLOAT);
    if (doubles.length > 0)
      for (const row of rows)
        for (const name of doubles) {
          const value = row[name];
          if (typeof value === "number" && !Number.isFinite(value)) row[name] = String(value);
        }
    return rows;
  }
  const rows = result.getRowObjectsJson() as Row[];
  const numericColumns = names.filter((_, i) => NUMERIC_AS_STRING.has(types[i].typeId));
  if (numericColumns.length === 0) return rows;
  for (const row of rows) {
    for (const name of numericColumns) {
      const value = row[name];
      row[name] = value === null || value === undefined ? null : Number(value);
    }
  }
  return rows;
}
