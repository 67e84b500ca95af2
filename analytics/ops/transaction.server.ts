import type { Db } from "../db/database.server.ts";

/**
 * Runs `fn` in one transaction. DuckDB silently discards a COMMIT after a failed statement
 * (STACK.md), so any failure rolls back and rethrows; COMMIT only follows success.
 */
export async function inTransaction<T>(db: Db, fn: () => Promise<T>): Promise<T> {
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
}
