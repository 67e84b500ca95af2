/**
 * The topic, generation and cost pages keep their data in the shared page cache
 * (`cache.server.ts`) until the program's data or the day changes, keyed by page, audience,
 * reader organization, k and filters (normalized, so `{}` and explicit defaults share an
 * entry). In-memory databases all have the path ":memory:", so their entries are also keyed by
 * connection. Cached pages are shared between requests: callers must not mutate them.
 */
import type { Db } from "../db/database.server.ts";
import { cachedByDataVersion } from "./cache.server.ts";
import { NO_FILTERS } from "./filters.ts";
import type { PageOptions } from "./page-context.server.ts";

const memoryIds = new WeakMap<object, number>();
let nextMemoryId = 1;

export function cachedPage<T>(
  db: Db,
  programId: string,
  page: string,
  options: PageOptions,
  compute: () => Promise<T>
): Promise<T> {
  let scope: number | null = null;
  if (db.path === ":memory:") {
    if (!memoryIds.has(db.connection))
      memoryIds.set(db.connection, nextMemoryId++);
    scope = memoryIds.get(db.connection)!;
  }
  const key = [
    page,
    scope,
    options.audience ?? "admin",
    options.orgId ?? null,
    options.k ?? null,
    { ...NO_FILTERS, ...options.filters },
  ];
  return cachedByDataVersion(db, programId, key, compute);
}
