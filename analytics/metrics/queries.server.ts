import type { DuckDBConnection, DuckDBPreparedStatement } from "@duckdb/node-api";
import { toPlainRows, type Db, type Params } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";

/*
 * The report's queries are prepared once per connection and re-run with new parameters:
 * planning them (macros expanded, CTEs optimized) costs more than running them on a small
 * program. Rows go through toPlainRows like every other query (BIGINT/DECIMAL → number).
 */
const prepared = new WeakMap<DuckDBConnection, Map<string, DuckDBPreparedStatement>>();

/** Runs `sql/<name>.sql` with named parameters, through a statement prepared once per connection. */
export async function runQuery<T>(db: Db, name: string, params: Params): Promise<T[]> {
  let statements = prepared.get(db.connection);
  if (!statements) prepared.set(db.connection, (statements = new Map()));
  let statement = statements.get(name);
  if (!statement) {
    statement = await db.connection.prepare(loadSql(name));
    statements.set(name, statement);
  }
  statement.bind(params);
  return toPlainRows(await statement.runAndReadAll()) as T[];
}
