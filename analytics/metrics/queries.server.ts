import type { Db, Params } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";

/*
 * The report's queries are prepared once per connection and re-run with new parameters
 * (`Db.allPrepared`): planning them (macros expanded, CTEs optimized) costs more than running
 * them on a small program. Rows go through toPlainRows like every other query (BIGINT/DECIMAL
 * → number).
 */

/** Runs `sql/<name>.sql` with named parameters, through a statement prepared once per connection. */
export async function runQuery<T>(db: Db, name: string, params: Params): Promise<T[]> {
  return db.allPrepared<T>(loadSql(name), params);
}
