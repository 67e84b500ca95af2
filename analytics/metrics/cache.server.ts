import { commitStamp, type Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { invalidationStamp } from "./schema.server.ts";

/**
 * Page data kept in memory until the program's data changes: the key holds the program's data
 * version (`queries/program_data_version`, the one the materialized marts use) and its invalidation
 * stamp (`invalidateMetricMarts`: an undo, an erasure), today's date
 * (as_of defaults to the earlier of today and the end date) and the caller's key (page,
 * audience, k, filters, scope: built by pages.server.ts for the pages). Several readers opening
 * the same view — a committee about to meet — compute it once; an import, or the next day,
 * computes it afresh. Concurrent requests for the same key share one computation. Values are
 * shared: callers must not mutate them. In-memory databases all have the path ":memory:", so
 * their entries are also keyed by connection.
 */
const MAX_ENTRIES = 64;
const entries = new Map<string, Promise<unknown>>();

/**
 * Entries that say their size (`weigh`: the attention list's CSV, ~9 MB at 200,000 participants)
 * share a budget, so that 64 of them cannot hold half a gigabyte: past it, the least recently
 * used of them are forgotten (the newest is always kept).
 */
export const MAX_WEIGHED_BYTES = 64 * 1024 * 1024;
const weights = new Map<string, number>();

function forget(key: string): void {
  entries.delete(key);
  weights.delete(key);
}

function trimWeighed(keep: string): void {
  let total = 0;
  for (const w of weights.values()) total += w;
  for (const key of [...entries.keys()]) {
    if (total <= MAX_WEIGHED_BYTES) break;
    const w = weights.get(key);
    if (w === undefined || key === keep) continue;
    forget(key);
    total -= w;
  }
}

/**
 * A request asks for the version several times (the layout, the page, the query space…): a
 * version read in the last VERSION_TTL_MS is reused, so a request pays for one read, unless a
 * transaction of this process ended on the database since (`commitStamp`: an import, an undo).
 */
const VERSION_TTL_MS = 250;
const versions = new Map<string, { at: number; commits: number; version: Promise<unknown> }>();

const memoryIds = new WeakMap<object, number>();
let nextMemoryId = 1;

/** The database in the key: its file, and for an in-memory database its connection. */
function databaseKey(db: Db): [string, number | null] {
  if (db.path !== ":memory:") return [db.path, null];
  if (!memoryIds.has(db.connection)) memoryIds.set(db.connection, nextMemoryId++);
  return [db.path, memoryIds.get(db.connection)!];
}

function dataVersion(db: Db, programId: string): Promise<unknown> {
  const key = JSON.stringify([databaseKey(db), programId]);
  const now = Date.now();
  const commits = commitStamp(db);
  const known = versions.get(key);
  if (known && now - known.at < VERSION_TTL_MS && known.commits === commits) return known.version;
  const version = db.all(loadSql("queries/program_data_version"), { program_id: programId }).then((rows) => rows[0] ?? null);
  versions.set(key, { at: now, commits, version });
  version.catch(() => versions.delete(key));
  if (versions.size > 256) versions.delete(versions.keys().next().value as string);
  return version;
}

export async function cachedByDataVersion<T>(
  db: Db,
  programId: string,
  key: unknown,
  compute: () => Promise<T>,
  weigh?: (value: T) => number,
  /** false for a value that must not be kept once resolved (a provisional answer: the next request computes it again). */
  keep?: (value: T) => boolean,
): Promise<T> {
  const version = await dataVersion(db, programId);
  const fullKey = JSON.stringify([databaseKey(db), programId, version, invalidationStamp(db, programId), new Date().toISOString().slice(0, 10), key]);
  const found = entries.get(fullKey);
  if (found) {
    entries.delete(fullKey); // most recently used last
    entries.set(fullKey, found);
    return found as Promise<T>;
  }
  const pending = compute();
  entries.set(fullKey, pending);
  // A failure is not kept: the next request tries again.
  pending.then(
    (value) => {
      if (keep && !keep(value)) {
        if (entries.get(fullKey) === pending) forget(fullKey);
        return;
      }
      if (!weigh || entries.get(fullKey) !== pending) return;
      weights.set(fullKey, weigh(value));
      trimWeighed(fullKey);
    },
    () => forget(fullKey),
  );
  while (entries.size > MAX_ENTRIES) forget(entries.keys().next().value as string);
  return pending;
}

/** Forgets every cached page and version (tests, or after writing data outside an import). */
export function clearPageCache(): void {
  entries.clear();
  weights.clear();
  versions.clear();
}
