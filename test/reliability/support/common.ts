import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { wrapConnection, type Db } from "../../../analytics/db/database.server.ts";

export const ROOT = resolve(import.meta.dirname, "../../..");
export const FIXTURES = join(ROOT, "test/fixtures/exports");
export const CLI = join(ROOT, "cli/ingest.ts");
export const TRACE_PRELOAD = join(import.meta.dirname, "trace-preload.mjs");

/** Every table an import writes (all but the `imports` log). */
export const DATA_TABLES = ["programs", "organizations", "participants", "topics", "pairs", "meetings", "pair_topics", "evaluations", "costs"] as const;

/** Long runs (100 MB junk, full fuzz, more trials) only with BINOME_LONG_TESTS=1. */
export const LONG = process.env.BINOME_LONG_TESTS === "1";

/** A small seeded generator (mulberry32): the same seed gives the same trials. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const made: string[] = [];
export function tempDir(prefix = "binome-reliability-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A copy of a fixture export with files replaced (text or bytes) or removed (null). */
export function exportCopy(fixture: string, changes: Record<string, string | Buffer | null> = {}): string {
  const dir = tempDir("binome-reliability-export-");
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  for (const [name, content] of Object.entries(changes)) {
    if (content === null) rmSync(join(dir, name), { force: true });
    else writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** Opens a database file in this process (a fresh instance, as after a restart) and closes it. */
export async function withFileDb<T>(path: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  try {
    return await fn(wrapConnection(path, connection));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Per data table: its row count and a hash of its sorted rows, computed by DuckDB. Two equal
 * fingerprints are the same data, whatever the physical order of the rows.
 */
export async function fingerprint(db: Db, tables: readonly string[] = DATA_TABLES): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of tables) {
    const [row] = await db.all<{ n: number; h: string | null }>(
      `select count(*) as n, md5(coalesce(string_agg(h, ',' order by h), '')) as h from (select md5(t::varchar) as h from ${table} t)`,
    );
    out[table] = `${row.n}:${row.h}`;
  }
  return out;
}

export interface ProcessRun {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; ms: number }>;
}

/** Runs the ingest CLI as `npm run ingest` does (tsx), with node directly so that a kill reaches it. */
export function startCli(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): ProcessRun {
  const started = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", ...nodeArgs, CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; ms: number }>((done) =>
    child.on("exit", (code, signal) => done({ code, signal, stdout, stderr, ms: Date.now() - started })),
  );
  return { child, done };
}

export async function waitFor(check: () => boolean, timeoutMs = 30_000, what = "a condition"): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const readText = (path: string) => (existsSync(path) ? readFileSync(path, "utf8") : "");
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
