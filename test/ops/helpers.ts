import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, expect } from "vitest";
import { applySchema } from "../../analytics/db/database.server.ts";
import { ingestExport } from "../../analytics/ingest/index.server.ts";
import { openExclusive, type ExclusiveDb } from "../../analytics/ops/file-db.server.ts";

export const BASIC = resolve(import.meta.dirname, "../fixtures/exports/basic");
/** Long and unique: its bytes are easy to find in a database file. */
export const LONG_ID = "PARTICIPANT-7f3c9e1a4b2d8c6e0f5a3b7d9e1c4a2b-ERASE-ME";

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "binome-ops-test-"));
  made.push(dir);
  return dir;
}

/** The basic fixture with participant P2 renamed to LONG_ID (program alpha). */
export function exportWithLongId(): string {
  const dir = tempDir();
  cpSync(BASIC, dir, { recursive: true });
  for (const file of ["participants.csv", "pairs.csv"]) {
    const path = join(dir, file);
    writeFileSync(path, readFileSync(path, "utf8").replace(/\bP2\b/g, LONG_ID));
  }
  return dir;
}

/** Opens a database file on its own instance with the schema applied (the tests' server stand-in). */
export async function openFile(path: string): Promise<ExclusiveDb> {
  const handle = await openExclusive(path);
  await applySchema(handle.db);
  return handle;
}

export async function importInto(path: string, exportDir: string): Promise<void> {
  const handle = await openFile(path);
  try {
    const result = await ingestExport(handle.db, [exportDir]);
    expect(result.outcome, JSON.stringify(result.problems.slice(0, 3))).toBe("imported");
  } finally {
    handle.close();
  }
}

export function fileContains(path: string, text: string): boolean {
  return readFileSync(path).includes(Buffer.from(text, "utf8"));
}
