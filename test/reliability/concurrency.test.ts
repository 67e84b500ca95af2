/**
 * Concurrency: while a replacing re-import of a program runs, every read of its report sees the
 * figures of before or of after (never a mix) and no read fails. In-process (a second connection
 * of the same DuckDB instance) and through the server during a web import.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, applySchema, type Db } from "../../analytics/db/database.server.ts";
import { ingestExport } from "../../analytics/ingest/index.server.ts";
import { getProgramReport } from "../../analytics/report/report.server.ts";
import { generateDemo } from "../../seeds/generate.ts";
import { TRACE_PRELOAD, readText, removeTempDirs, tempDir } from "./support/common.ts";
import { importJob, killStartedServers, prepareDatabase, signIn, startBinome, startWebImport, type Server } from "./support/server.ts";

const PROGRAM = "octave-demo";
/** Each write statement of the import waits this long: the transaction stays open a few seconds. */
const STEP_DELAY_MS = 120;

let v1: string;
let v2: string;

beforeAll(async () => {
  // The same program, generated with two seeds: a replacing re-import with different data.
  const dir = tempDir();
  v1 = (await generateDemo({ outDir: join(dir, "v1"), programs: [PROGRAM], seed: 1 })).folders[0].dir;
  v2 = (await generateDemo({ outDir: join(dir, "v2"), programs: [PROGRAM], seed: 2 })).folders[0].dir;
}, 120_000);

afterAll(() => {
  killStartedServers();
  removeTempDirs();
});

/** Reads in a loop until `until` settles, then once more; returns every answer. */
async function readWhile<T>(until: Promise<unknown>, read: () => Promise<T>, readers = 3): Promise<{ value?: T; error?: string; during: boolean }[]> {
  let settled = false;
  void until.finally(() => (settled = true)).catch(() => undefined);
  const out: { value?: T; error?: string; during: boolean }[] = [];
  await Promise.all(
    Array.from({ length: readers }, async () => {
      let last = false;
      while (!last) {
        last = settled;
        const during = !settled;
        try {
          out.push({ value: await read(), during });
        } catch (error) {
          out.push({ error: error instanceof Error ? error.message : String(error), during });
        }
      }
    }),
  );
  return out;
}

describe("reports read during an import", () => {
  it("in-process: a second connection of the instance sees all before or all after", async () => {
    const dir = tempDir();
    const path = join(dir, "binome.duckdb");
    // Slow the import's writes down in this process (the trace preload patches DuckDB's run).
    process.env.BINOME_RELIABILITY_TRACE = join(dir, "trace");
    process.env.BINOME_RELIABILITY_STEP_DELAY_MS = String(STEP_DELAY_MS);
    await import(TRACE_PRELOAD);
    const writer: Db = await openDatabase(path);
    const reader: Db = await openDatabase(path);
    try {
      expect(writer.connection).not.toBe(reader.connection);
      await applySchema(writer);
      expect((await ingestExport(writer, [v1])).outcome).toBe("imported");
      const before = JSON.stringify(await getProgramReport(reader, PROGRAM));
      const importing = ingestExport(writer, [v2]);
      const reads = await readWhile(importing, async () => JSON.stringify(await getProgramReport(reader, PROGRAM)));
      expect((await importing).outcome).toBe("imported");
      const after = JSON.stringify(await getProgramReport(reader, PROGRAM));
      expect(after).not.toBe(before);
      expect(readText(process.env.BINOME_RELIABILITY_TRACE)).toContain("commit-done");

      expect(reads.filter((r) => r.error)).toEqual([]);
      const kinds = reads.map((r) => (r.value === before ? "before" : r.value === after ? "after" : "mix"));
      console.log(`in-process reads: ${reads.length} (${reads.filter((r) => r.during).length} during the import): ${JSON.stringify(count(kinds))}`);
      expect(kinds.filter((k) => k === "mix")).toEqual([]);
      expect(reads.filter((r) => r.during).length).toBeGreaterThan(3);
    } finally {
      delete process.env.BINOME_RELIABILITY_STEP_DELAY_MS;
      reader.close();
      writer.close();
    }
  }, 120_000);

  describe("through the server, during a web import", () => {
    let server: Server;
    let cookie: string;

    beforeAll(async () => {
      const dir = tempDir();
      const dbPath = join(dir, "binome.duckdb");
      await prepareDatabase(dbPath, [v1]);
      server = await startBinome(
        { BINOME_DB: dbPath, BINOME_UPLOAD_DIR: join(dir, "uploads"), BINOME_RELIABILITY_TRACE: join(dir, "trace"), BINOME_RELIABILITY_STEP_DELAY_MS: process.env.BINOME_RELIABILITY_SERVER_STEP_DELAY_MS ?? String(STEP_DELAY_MS) },
        ["--import", TRACE_PRELOAD],
      );
      cookie = await signIn(server);
    }, 120_000);

    afterAll(async () => {
      await server?.stop();
    });

    // The web import runs on its own connection of the instance (getImportDb): its open
    // transaction never captures a page's queries. The step delay stands for a larger program
    // (a write phase of seconds); with octave-demo and no delay the window is ~100 ms.
    it("every report read is all before or all after, and none fails", async () => {
      const report = async () => {
        const response = await fetch(`${server.url}/api/programs/${PROGRAM}/report.json`, { headers: { Cookie: cookie } });
        const text = await response.text();
        if (response.status !== 200) throw new Error(`${response.status}: ${text.slice(0, 200)}`);
        return text;
      };
      const health = async () => (await fetch(`${server.url}/healthz`)).status;
      const before = await report();
      const jobId = await startWebImport(server, cookie, v2);
      const finished = (async () => {
        for (;;) {
          const job = await importJob(server, cookie, jobId);
          if (job.state !== "running") return job;
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      const [reads, healths] = await Promise.all([readWhile(finished, report), readWhile(finished, health, 1)]);
      const job = await finished;
      const early = reads.map((r) => (r.error ? `error: ${r.error}` : r.value === before ? "before" : "other"));
      console.log(`server job: ${JSON.stringify({ state: job.state, error: job.error })}; reads: ${JSON.stringify(count(early))}`);
      const serverErrors = server.output().split("\n").filter((l) => /Error/.test(l));
      if (serverErrors.length) console.log(`server errors:\n${[...new Set(serverErrors)].slice(0, 5).join("\n")}`);
      expect(job).toMatchObject({ state: "done", report: { outcome: "imported" } });
      // The server refreshes the program's figures after the import: read until they settle.
      const after = await report();
      expect(after).not.toBe(before);

      const kinds = reads.map((r) => (r.error ? `error: ${r.error}` : r.value === before ? "before" : r.value === after ? "after" : "mix"));
      console.log(`server reads: ${reads.length} (${reads.filter((r) => r.during).length} during the import): ${JSON.stringify(count(kinds))}`);
      expect(reads.filter((r) => r.during).length).toBeGreaterThan(3);
      expect(kinds.filter((k) => k !== "before" && k !== "after")).toEqual([]);
      expect(healths.map((h) => h.value ?? h.error)).toEqual(healths.map(() => 200));
    }, 120_000);
  });
});

function count(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v.slice(0, 200)] = (out[v.slice(0, 200)] ?? 0) + 1;
  return out;
}
