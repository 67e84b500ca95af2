import type { DuckDBConnection } from "@duckdb/node-api";
import { AsyncLocalStorage } from "node:async_hooks";
import type { Db } from "../db/database.server.ts";
import { listSql, loadSql } from "../db/sql-files.server.ts";
import { runQuery } from "./queries.server.ts";

/*
 * The metrics SQL layers (docs/decisions/0003-metrics-sql-layers.md), all connection-local
 * (TEMP): nothing is written to the database file, so no schema change and no migration.
 *   staging views  → inlined by DuckDB into each query;
 *   mart macros    → table macros, one per grain (participants, pairs);
 *   materialized   → TEMP tables holding the marts' rows, refreshed per program when that
 *                    program's data version changes (refreshProgramMarts);
 *   pair_status    → the as_of-dependent pair facts, computed from the materialized pairs;
 *   breakdown_groups, program_figures, month_groups → additive sums per breakdown group,
 *                    the as_of-independent program figures and the per-month activity,
 *                    materialized too.
 * Order matters: a view or macro is bound when it is created.
 */
const SETUP_FILES = [
  ...listSql("staging"),
  ...listSql("marts/macros"),
  "marts/market_bands",
  "marts/filtered_cost_lines",
  "marts/participants",
  "marts/materialized/metrics_participants",
  "marts/pairs",
  "marts/materialized/metrics_pairs",
  "marts/filtered_pairs",
  "marts/filtered_participants",
  "marts/pair_status",
  "marts/filtered_pair_status",
  "marts/breakdown_groups",
  "marts/materialized/metrics_breakdown_groups",
  "marts/program_figures",
  "marts/materialized/metrics_program_figures",
  "marts/month_groups",
  "marts/materialized/metrics_month_groups",
];

function checkEveryMartIsListed(): void {
  const listed = new Set(SETUP_FILES);
  const missing = [...listSql("marts"), ...listSql("marts/materialized")].filter((n) => !listed.has(n));
  if (missing.length > 0) throw new Error(`analytics/metrics/schema.server.ts: add ${missing.join(", ")} to SETUP_FILES`);
}

interface ConnectionState {
  /** Program id → the data version its materialized rows were built from. */
  versions: Map<string, string>;
  /** Program id → values derived from the data its marts were built from (martDerived). */
  derived: Map<string, { version: string; values: Map<string, unknown> }>;
  /** Serializes report work on the connection: a refresh must not interleave with a read. */
  queue: Promise<unknown>;
  /** Serializes the refreshes of re-entrant calls (their transactions share the connection). */
  refreshes: Promise<unknown>;
}

/**
 * Kept on globalThis: the server's start-up code (server/start.ts, run by tsx) and the Remix
 * build each hold a copy of this module, and the marts that start-up prepares must be the ones
 * the pages find (otherwise the first page view builds them all again).
 */
const shared = globalThis as typeof globalThis & {
  __binomeMartStates?: WeakMap<DuckDBConnection, ConnectionState>;
  __binomeMartInvalidations?: Map<string, number>;
  __binomeMartHolding?: AsyncLocalStorage<Set<DuckDBConnection>>;
};
const states = (shared.__binomeMartStates ??= new WeakMap<DuckDBConnection, ConnectionState>());

/**
 * Creates (or replaces) the staging views, mart macros and the empty materialized tables on
 * this connection. Call once after `applySchema` (the server at start-up; `getProgramReport`
 * also does it on first use).
 */
export async function applyMetricViews(db: Db): Promise<void> {
  checkEveryMartIsListed();
  for (const name of SETUP_FILES) await db.run(loadSql(name));
  const previous = states.get(db.connection);
  // The TEMP tables survive a second call (create if not exists): keep their versions.
  states.set(db.connection, {
    versions: previous?.versions ?? new Map(),
    derived: previous?.derived ?? new Map(),
    queue: previous?.queue ?? Promise.resolve(),
    refreshes: previous?.refreshes ?? Promise.resolve(),
  });
}

/**
 * Bumped by invalidateMetricMarts, per database file: for one program, or for all ("*"). A
 * write made on one connection (an undo on the data-operations connection) must reach the
 * marts of every connection of that file (the pages' connection), so this is per file.
 */
const invalidations = (shared.__binomeMartInvalidations ??= new Map<string, number>());

/** Changes whenever invalidateMetricMarts is called for this file and program (or all programs). */
export function invalidationStamp(db: Db, programId: string): string {
  return `${invalidations.get(`${db.path}\u0000*`) ?? 0}.${invalidations.get(`${db.path}\u0000${programId}`) ?? 0}`;
}

/**
 * Forgets what was materialized from this database file, on every connection (e.g. after
 * writing program data without an import, or restoring an undo snapshot, which may bring back
 * the data of an import whose id is still the latest).
 */
export function invalidateMetricMarts(db: Db, programId?: string): void {
  const key = `${db.path}\u0000${programId ?? "*"}`;
  invalidations.set(key, (invalidations.get(key) ?? 0) + 1);
}

/** The connections whose queue the current async context is already running in. */
const holding = (shared.__binomeMartHolding ??= new AsyncLocalStorage<Set<DuckDBConnection>>());

/**
 * Runs `fn` with the metric layers in place and the program's materialized marts up to date,
 * one call at a time per connection. Re-entrant: `fn` may call it again (or call
 * `getProgramReport`) on the same connection without waiting for itself.
 */
export async function withProgramMarts<T>(db: Db, programId: string, fn: () => Promise<T>): Promise<T> {
  if (!states.has(db.connection)) await applyMetricViews(db);
  const state = states.get(db.connection)!;
  const held = holding.getStore();
  if (held?.has(db.connection)) {
    const refresh = state.refreshes.catch(() => undefined).then(() => refreshProgramMarts(db, state, programId));
    state.refreshes = refresh;
    await refresh;
    return fn();
  }
  const run = state.queue.catch(() => undefined).then(() =>
    holding.run(new Set([...(held ?? []), db.connection]), async () => {
      await refreshProgramMarts(db, state, programId);
      return fn();
    }),
  );
  state.queue = run;
  return run;
}

/**
 * Brings a program's materialized marts up to date now (e.g. right after an import, or at
 * start-up for every program), so that the next report does not pay for the refresh.
 */
export async function warmProgramMarts(db: Db, programId: string): Promise<void> {
  await withProgramMarts(db, programId, async () => undefined);
}

/** Values kept per program by martDerived, per kind (`key[0]`), unless it says: the oldest goes beyond. */
const MAX_DERIVED_PER_KIND = 16;

/**
 * A value computed from the program's data, kept with its materialized marts: computed once
 * per data version (the one the marts were built from) and `key`, forgotten when the marts are
 * rebuilt from other data. For figures too slow to compute per request that only the data and
 * the key decide (the impact figures over a whole workforce). Call inside withProgramMarts
 * (the version is the one it just checked); outside it, `compute` runs uncached. Values are
 * shared between callers: they must not mutate them. A failure is not kept. `keep`: how many
 * values of this kind to keep (large ones: fewer).
 */
export async function martDerived<T>(db: Db, programId: string, key: readonly [string, ...unknown[]], compute: () => Promise<T>, keep = MAX_DERIVED_PER_KIND): Promise<T> {
  const state = states.get(db.connection);
  const version = state?.versions.get(programId);
  if (!state || version === undefined || !holding.getStore()?.has(db.connection)) return compute();
  let entry = state.derived.get(programId);
  if (entry?.version !== version) state.derived.set(programId, (entry = { version, values: new Map() }));
  const full = JSON.stringify(key);
  if (entry.values.has(full)) return entry.values.get(full) as T;
  const value = await compute();
  // The marts may have been rebuilt meanwhile (a re-entrant refresh): keep it only for its version.
  if (state.versions.get(programId) !== version || state.derived.get(programId) !== entry) return value;
  entry.values.set(full, value);
  const kind = JSON.stringify(key[0]);
  const ofKind = [...entry.values.keys()].filter((k) => k.startsWith(`[${kind}`));
  if (ofKind.length > keep) entry.values.delete(ofKind[0]);
  return value;
}

/**
 * Runs `fn` in this connection's report queue without refreshing anything: no report work runs
 * on the connection meanwhile, and the work queued behind waits for `fn`. The server's online
 * rebuild holds it while it swaps the connection (decision 0013).
 */
export async function withMartQueue<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  const state = states.get(db.connection);
  if (!state) return fn();
  const held = holding.getStore();
  if (held?.has(db.connection)) return fn();
  const run = state.queue.catch(() => undefined).then(() => holding.run(new Set([...(held ?? []), db.connection]), fn));
  state.queue = run;
  return run;
}

/**
 * After a connection was replaced by a new one of the same database (the server's online
 * rebuild): the marts' state (its queue, with the report work waiting in it) moves to the new
 * connection, whose TEMP layers are created now and whose materialized rows are rebuilt on next
 * use. `to` must not wait behind the caller (the rebuild passes the connection underneath its
 * gate).
 */
export async function moveMartState(from: DuckDBConnection, to: Db): Promise<void> {
  const state = states.get(from);
  if (!state) return;
  state.versions.clear();
  state.derived.clear();
  states.set(to.connection, state);
  states.delete(from);
  await applyMetricViews(to);
}

/**
 * Replaces the program's rows in the materialized TEMP tables. No explicit transaction: the
 * connection is shared by every request, and a transaction on it would capture the other
 * requests' statements (one of them failing would abort it, a BEGIN of theirs would fail).
 * Instead:
 * - every reader of these tables waits in this connection's queue (withProgramMarts), so none
 *   sees a half-done refresh, and a refresh that fails leaves the version unset, so the next
 *   reader starts again from the delete;
 * - each statement reads the data as last committed, so an import committing in the middle
 *   (on the import connection) would leave tables built from two states: the version is read
 *   again after the inserts, and a change means building again.
 */
async function refreshProgramMarts(db: Db, state: ConnectionState, programId: string): Promise<void> {
  const current = async () => JSON.stringify([(await runQuery(db, "queries/program_data_version", { program_id: programId }))[0], invalidationStamp(db, programId)]);
  let key = await current();
  if (state.versions.get(programId) === key) return;
  state.versions.delete(programId);
  state.derived.delete(programId);
  const params = { program_id: programId };
  for (let attempt = 1; ; attempt++) {
    for (const table of ["participants", "pairs", "breakdown_groups", "program_figures", "month_groups"]) {
      await db.run(loadSql(`marts/refresh/delete_${table}`), params);
      await db.run(loadSql(`marts/refresh/insert_${table}`), params);
    }
    const after = await current();
    if (after === key) break;
    if (attempt === 5) throw new Error(`the data of program ${programId} kept changing while its figures were prepared; try again`);
    key = after;
  }
  state.versions.set(programId, key);
}
