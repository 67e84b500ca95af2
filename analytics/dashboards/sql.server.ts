import type { Db, Params } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";

/**
 * Runs `sql/dashboards/<name>.sql` binding only the named parameters the statement uses
 * (DuckDB refuses unused ones); a parameter the SQL names without a value is a bug: throws.
 * Call inside `withProgramMarts` when the SQL reads the metric marts.
 */
export function dashboardSql<T>(db: Db, name: string, params: Params): Promise<T[]> {
  const sql = loadSql(`dashboards/${name}`);
  const used = new Set([...sql.matchAll(/\$([a-z_][a-z0-9_]*)/gi)].map((m) => m[1]));
  const bound: Params = {};
  for (const key of used) {
    if (!(key in params)) throw new Error(`sql/dashboards/${name}.sql: parameter $${key} has no value`);
    bound[key] = params[key];
  }
  return db.all<T>(sql, bound);
}
