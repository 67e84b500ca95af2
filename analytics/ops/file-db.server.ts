/**
 * Opening a database file for a whole-file operation (rebuild, backup, restore): an instance of
 * its own, not the process cache, so that it can be closed and the file swapped afterwards.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DatabaseLockedError, wrapConnection, type Db } from "../db/database.server.ts";

export interface ExclusiveDb {
  db: Db;
  close(): void;
}

/** Opens a file read-write in an instance of its own; another process holding it gives DatabaseLockedError. */
export async function openExclusive(path: string): Promise<ExclusiveDb> {
  const full = resolve(path);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(full);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/Could not set lock on file|Conflicting lock is held/i.test(message)) {
      const pid = /PID (\d+)/.exec(message);
      throw new DatabaseLockedError(full, pid ? Number(pid[1]) : null);
    }
    throw error;
  }
  const connection = await instance.connect();
  const db = wrapConnection(full, connection);
  return {
    db,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Makes a finished file durable, then puts it in place of `target` in one rename (same folder). */
export function swapInto(source: string, target: string): void {
  const fd = openSync(source, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // A write-ahead log left by the old file must not be replayed onto the new one.
  rmSync(`${target}.wal`, { force: true });
  renameSync(source, target);
  const dir = openSync(dirname(target), "r");
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/** The temporary path of a file being built next to `target`. */
export function siblingPath(target: string, label: string): string {
  const path = `${resolve(target)}.${label}-${process.pid}-${Date.now()}`;
  if (existsSync(path)) rmSync(path);
  return path;
}
