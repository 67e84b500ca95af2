import { AsyncLocalStorage } from "node:async_hooks";
import { runTransaction, type Db } from "./database.server.ts";

// On globalThis: server/start.ts (run by tsx) and the Remix build each load this module, and an
// operation started by one (the rebuild resumed at start-up) must queue with the other's.
const shared = globalThis as typeof globalThis & { __binomeOpsQueues?: Map<unknown, Promise<unknown>>; __binomeOpsHolding?: AsyncLocalStorage<Set<unknown>> };
const queues = (shared.__binomeOpsQueues ??= new Map<unknown, Promise<unknown>>());
const holding = (shared.__binomeOpsHolding ??= new AsyncLocalStorage<Set<unknown>>());

/** One queue per database file (whatever the connection); in-memory databases are each their own. */
const lockKey = (db: Db): unknown => (db.path === ":memory:" ? db.connection : db.path);

/**
 * Runs data operations on one database one at a time, whichever connection they use (an undo
 * on the server's connection waits for an import on the import connection). Re-entrant: an
 * operation may call another inside it.
 */
export function withOpsLock<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  const key = lockKey(db);
  const held = holding.getStore();
  if (held?.has(key)) return fn();
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => holding.run(new Set([...(held ?? []), key]), fn));
  queues.set(key, next);
  // Forget a settled queue so that the map does not keep every in-memory database alive.
  void next.catch(() => undefined).then(() => {
    if (queues.get(key) === next) queues.delete(key);
  });
  return next;
}

/** Runs `fn` in one transaction (`runTransaction`), under the operations lock. */
export function inTransaction<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  return withOpsLock(db, () => runTransaction(db, fn));
}
