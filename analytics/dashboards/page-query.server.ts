/**
 * Running a page's SQL (`sql/dashboards/<name>.sql`), the last step of the page pipeline
 * (pages.server.ts): `dashboardSql` binds the named parameters a statement uses, and `withPage`
 * gives the topic, generation and cost pages the program's identity, the audience's suppression
 * threshold and the filters, with the metric marts up to date (`withProgramMarts`: the marts are
 * the one definition of generation, age, cohort…).
 */
import type { Audience } from "../domain/roles.ts";
import type { Db, Params } from "../db/database.server.ts";
import type { ProgramIdentity } from "../domain/program.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { DEFAULT_K, MIN_K } from "../metrics/suppression.ts";
import { withProgramMarts } from "../metrics/schema.server.ts";
import { filterParams, hasFilters, NO_FILTERS, type Filters } from "../domain/filters.ts";

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

export type FilterParams = ReturnType<typeof filterParams>;


export interface PageOptions {
  audience?: Audience;
  /** The reader's organization (the sponsor's `others` grouping). */
  orgId?: string | null;
  /** Suppression threshold for non-admin audiences (default 5, never below 3). */
  k?: number | null;
  /** The parsed URL filters (analytics/domain/filters.ts). */
  filters?: Partial<Filters>;
}

export interface PageMeta {
  program: ProgramIdentity;
  audience: Audience;
  /** null for admin (nothing suppressed). */
  k: number | null;
  filters: FilterParams;
  filtered: boolean;
}

export interface PageQuery {
  meta: PageMeta;
  /** Runs `sql/dashboards/<name>.sql` with the program id, the filters and `extra`. */
  all<T>(name: string, extra?: Record<string, string | number | boolean | null>): Promise<T[]>;
}

/**
 * Runs `fn` with the program's marts up to date and the page parameters bound; null when the
 * program does not exist. Invalid filters or k throw a RangeError naming the value.
 */
export async function withPage<T>(db: Db, programId: string, options: PageOptions, fn: (q: PageQuery) => Promise<T>): Promise<T | null> {
  const audience = options.audience ?? "admin";
  const k = options.k ?? DEFAULT_K;
  if (!Number.isInteger(k) || k < MIN_K) throw new RangeError(`invalid k: ${JSON.stringify(k)} (an integer ≥ ${MIN_K})`);
  const merged: Filters = { ...NO_FILTERS, ...options.filters };
  const filters = filterParams(merged);
  return withProgramMarts(db, programId, async () => {
    const [program] = await db.all<ProgramIdentity>(loadSql("queries/report_program"), {
      program_id: programId,
      as_of: null,
    });
    if (!program) return null;
    const meta: PageMeta = { program, audience, k: audience === "admin" ? null : k, filters, filtered: hasFilters(merged) };
    return fn({
      meta,
      all: <R>(name: string, extra = {}) => dashboardSql<R>(db, name, { program_id: programId, ...filters, ...extra }),
    });
  });
}
