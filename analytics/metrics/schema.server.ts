import type { DuckDBConnection } from "@duckdb/node-api";
import type { Db } from "../db/database.server.ts";
import { listSql, loadSql } from "../db/sql-files.server.ts";

/**
 * The metrics layers are connection-local (TEMP) views and macros: creating them writes
 * nothing to the database file, and DuckDB inlines them into each query, so they cost what
 * the same SQL written out would (docs/decisions/0003-metrics-sql-layers.md).
 * Order matters: staging views bind to the tables, then the scalar macros, then the marts.
 */
const LAYERS = ["staging", "marts/macros", "marts"] as const;

/** Marts in dependency order (a macro's body is bound when it is created). */
const MART_ORDER = ["marts/participants", "marts/participant_groups", "marts/pairs"];

function layerFiles(layer: (typeof LAYERS)[number]): string[] {
  const names = listSql(layer);
  if (layer !== "marts") return names;
  const unordered = names.filter((n) => !MART_ORDER.includes(n));
  if (unordered.length > 0) throw new Error(`sql/marts: add ${unordered.join(", ")} to MART_ORDER`);
  return MART_ORDER.filter((n) => names.includes(n));
}

const applied = new WeakSet<DuckDBConnection>();

/** Creates (or replaces) the staging views and mart macros on this connection. */
export async function applyMetricViews(db: Db): Promise<void> {
  for (const layer of LAYERS) {
    for (const name of layerFiles(layer)) await db.run(loadSql(name));
  }
  applied.add(db.connection);
}

/** `applyMetricViews` once per connection: what every metrics entry point calls first. */
export async function ensureMetricViews(db: Db): Promise<void> {
  if (!applied.has(db.connection)) await applyMetricViews(db);
}
