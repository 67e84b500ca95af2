import { AsyncLocalStorage } from "node:async_hooks";
import type { Db } from "../db/database.server.ts";

const queues = new WeakMap<object, Promise<unknown>>();
const holding = new AsyncLocalStorage<Set<object>>();

/**
 * Runs data operations on one connection one at a time (the server has a single connection:
 * an undo must not open its transaction in the middle of an import's). Re-entrant: an
 * operation may call another inside it.
 */
export function withOpsLock<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  const held = holding.getStore();
  if (held?.has(db.connection)) return fn();
  const previous = queues.get(db.connection) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => holding.run(new Set([...(held ?? []), db.connection]), fn));
  queues.set(db.connection, next);
  return next;
}

/**
 * Runs `fn` in one transaction, under the operations lock. DuckDB silently discards a COMMIT
 * after a failed statement (STACK.md), so any failure rolls back and rethrows; COMMIT only
 * follows success.
 */
export function inTransaction<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  return withOpsLock(db, async () => {
    await db.run("begin transaction");
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      await db.run("rollback").catch(() => undefined);
      throw error;
    }
    try {
      await db.run("commit");
    } catch (error) {
      await db.run("rollback").catch(() => undefined);
      throw error;
    }
    return result;
  });
}
