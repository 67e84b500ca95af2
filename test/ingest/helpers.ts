import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll } from "vitest";
import type { Db } from "../../analytics/db/database.server.ts";
import { formatProblem, ingestExport, type IngestOptions, type IngestResult } from "../../analytics/ingest/index.server.ts";

export const FIXTURES = resolve(import.meta.dirname, "../fixtures/exports");
export const ROOT = resolve(import.meta.dirname, "../..");

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "binome-ingest-test-"));
  made.push(dir);
  return dir;
}

/**
 * A copy of a fixture export with some files replaced (string or bytes) or removed (null),
 * in a temporary folder.
 */
export function exportCopy(fixture: string, changes: Record<string, string | Buffer | null> = {}): string {
  const dir = tempDir();
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  for (const [name, content] of Object.entries(changes)) {
    if (content === null) rmSync(join(dir, name), { force: true });
    else writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** Ingests and returns the result with its problems as the CLI prints them. */
export async function ingest(db: Db, paths: string[], options?: IngestOptions): Promise<IngestResult & { lines: string[] }> {
  const result = await ingestExport(db, paths, options);
  return { ...result, lines: result.problems.map(formatProblem) };
}

/** Row counts of every data table (not imports), to compare states. */
export async function snapshot(db: Db): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of ["programs", "organizations", "participants", "topics", "pairs", "meetings", "pair_topics", "evaluations", "costs"]) {
    out[table] = await db.all(`select * from ${table} order by all`);
  }
  return out;
}
