/**
 * Crash: the ingest CLI killed with SIGKILL at seeded random moments, many of them inside the
 * import's transaction (checked with a trace of the process's DuckDB statements). After a
 * restart the data is exactly the previous snapshot or the new one, never a mix, and the
 * imports log says which.
 */
import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema } from "../../analytics/db/database.server.ts";
import { PAUSE_ENV, ingestExport, listImports } from "../../analytics/ingest/index.server.ts";
import { ADMIN, importJob, killStartedServers, prepareDatabase, signIn, startBinome, startWebImport, type Server } from "./support/server.ts";
import {
  LONG,
  TRACE_PRELOAD,
  exportCopy,
  fingerprint,
  readText,
  removeTempDirs,
  rng,
  sleep,
  startCli,
  tempDir,
  waitFor,
  withFileDb,
} from "./support/common.ts";

/** Where a killed process was, from its trace. */
type Where = "before-transaction" | "inside-transaction" | "committing" | "after-commit" | "exited";

function whereFromTrace(trace: string, exited: boolean): Where {
  if (exited) return "exited";
  if (!trace.includes("begin")) return "before-transaction";
  if (!trace.includes("commit-start")) return "inside-transaction";
  if (!trace.includes("commit-done")) return "committing";
  return "after-commit";
}

/** The new export: the basic one with other meetings, costs, a participant's city and an evaluation. */
function changedExport(): string {
  return exportCopy("basic", {
    "meetings.csv": "meeting_id,pair_id,date,mode,duration_minutes\nM9,B1,2025-02-01,offline,60\nM10,B2,2025-02-10,online,30\n",
    "costs.csv": "program_id,org_id,date,category,amount,currency\nalpha,ORG2,2025-02-01,events,777.00,EUR\n",
    "evaluations.csv": "pair_id,respondent,phase,submitted_at,satisfaction,chemistry,would_continue,comment\nB1,mentee,midpoint,2025-06-15,2,2,no,Meh\n",
    "organizations.csv": "org_id,name,sector\nORG1,Dana Foods,Retail\nORG2,Skyward,Aerospace\nORG3,Newco,\n",
  });
}

interface Trial {
  kind: "hook" | "step" | "timed";
  where: Where;
  state: "previous" | "new";
  log: string;
}

describe("SIGKILL during an import by the CLI", () => {
  let template: string;
  let next: string;
  let before: Record<string, string>;
  let after: Record<string, string>;
  /** From a traced reference run: statements in the transaction, and when things happened. */
  let reference: { steps: number; beginMs: number; exitMs: number };

  beforeAll(async () => {
    const dir = tempDir();
    template = join(dir, "template.duckdb");
    next = changedExport();
    before = await withFileDb(template, async (db) => {
      await applySchema(db);
      expect((await ingestExport(db, [exportCopy("basic")])).outcome).toBe("imported");
      return fingerprint(db);
    });
    // The reference run: the real CLI, traced, to completion.
    const refDb = join(dir, "reference.duckdb");
    copyFileSync(template, refDb);
    const trace = join(dir, "reference.trace");
    let beginMs = 0;
    const run = startCli(["--db", refDb, next], { BINOME_RELIABILITY_TRACE: trace }, ["--import", TRACE_PRELOAD]);
    const started = Date.now();
    void waitFor(() => readText(trace).includes("begin"), 60_000).then(() => (beginMs = Date.now() - started)).catch(() => undefined);
    const result = await run.done;
    expect(result.code, result.stderr).toBe(0);
    const lines = readText(trace).split("\n");
    reference = { steps: lines.filter((l) => l.startsWith("step")).length, beginMs, exitMs: result.ms };
    after = await withFileDb(refDb, async (db) => {
      expect((await listImports(db)).map((r) => r.status)).toEqual(["succeeded", "succeeded"]);
      return fingerprint(db);
    });
    // The two snapshots differ in several tables, so that a mix would show.
    expect(Object.keys(before).filter((t) => before[t] !== after[t]).sort()).toEqual(["costs", "evaluations", "meetings", "organizations"]);
    expect(reference.steps).toBeGreaterThan(10);
  });

  afterAll(() => {
    killStartedServers();
    removeTempDirs();
  });

  async function trial(index: number, kind: Trial["kind"], random: () => number): Promise<Trial> {
    const dir = tempDir();
    const dbPath = join(dir, "binome.duckdb");
    copyFileSync(template, dbPath);
    const trace = join(dir, "trace");
    const flag = join(dir, "paused");
    const env: Record<string, string> = { BINOME_RELIABILITY_TRACE: trace };
    if (kind === "hook") env[PAUSE_ENV] = flag;
    if (kind === "step") env.BINOME_RELIABILITY_PAUSE_AT = String(1 + Math.floor(random() * reference.steps));
    const run = startCli(["--db", dbPath, next], env, ["--import", TRACE_PRELOAD]);
    let exited = false;
    void run.done.then(() => (exited = true));
    if (kind === "hook") await waitFor(() => existsSync(flag) || exited, 60_000, "the pause hook");
    if (kind === "step") await waitFor(() => readText(trace).includes("paused") || exited, 60_000, "the traced pause");
    // A random moment: a little later for the paused kinds; anywhere from just before the
    // transaction's start to the end of a whole run for the timed kind (from the reference run).
    const from = Math.max(0, reference.beginMs - 150);
    const delay = kind === "timed" ? from + random() * (reference.exitMs - from) : random() * 30;
    await sleep(delay);
    run.child.kill("SIGKILL");
    const result = await run.done;
    const where = whereFromTrace(readText(trace), result.signal !== "SIGKILL");
    if (kind !== "timed") expect(where, `trial ${index} (${kind}): ${readText(trace)}`).toBe("inside-transaction");

    // "Restart": a fresh DuckDB instance on the file (the write-ahead log is replayed).
    return withFileDb(dbPath, async (db) => {
      const fp = await fingerprint(db);
      const state = JSON.stringify(fp) === JSON.stringify(before) ? "previous" : JSON.stringify(fp) === JSON.stringify(after) ? "new" : null;
      expect(state, `trial ${index} (${kind}, ${where}): the data is neither snapshot: ${JSON.stringify({ fp, before, after })}`).not.toBeNull();
      const imports = await listImports(db);
      const log = imports.length === 1 ? "none" : String(imports[0].status);
      return { kind, where, state: state!, log };
    });
  }

  it(`leaves exactly the previous or the new snapshot, and says which (${LONG ? 60 : 20} seeded trials)`, async () => {
    const random = rng(20261126);
    const count = LONG ? 60 : 20;
    const kinds: Trial["kind"][] = Array.from({ length: count }, (_, i) => (i % 3 === 0 ? "hook" : i % 3 === 1 ? "step" : "timed"));
    const trials: Trial[] = [];
    // Two at a time: each trial is its own process and database file.
    for (let i = 0; i < count; i += 2) {
      trials.push(...(await Promise.all(kinds.slice(i, i + 2).map((kind, j) => trial(i + j, kind, random)))));
    }
    console.log(`crash reference run: ${JSON.stringify(reference)}`);
    console.log(`crash trials: ${JSON.stringify(trials.map((t) => `${t.kind}/${t.where}/${t.state}/${t.log}`))}`);

    const inside = trials.filter((t) => t.where === "inside-transaction");
    expect(inside.length).toBeGreaterThanOrEqual(count / 2);
    for (const t of trials) {
      // Never a mix (checked in each trial); killed before COMMIT: the previous data, always.
      if (t.where === "before-transaction" || t.where === "inside-transaction") expect(t.state, JSON.stringify(t)).toBe("previous");
      if (t.where === "exited") expect(t).toMatchObject({ state: "new", log: "succeeded" });
      // The log says which: an attempt cut off reads "interrupted" (none if killed before it began).
      if (t.state === "previous") expect(["interrupted", "none"]).toContain(t.log);
      // After COMMIT returned and before the log row is completed, the log cannot say it yet:
      // that window is tested on its own below.
      if (t.state === "new" && t.where !== "after-commit") expect(t.log).toBe("succeeded");
    }
    // 20 CLI processes, two at a time, each starting tsx and DuckDB: ~60 s on a quiet machine,
    // past 120 s on a loaded one (stop 24's CI run at load 10). A ceiling, not a timing.
  }, 360_000);

  it("after a crash, importing again works and the log keeps the interrupted attempt", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "binome.duckdb");
    copyFileSync(template, dbPath);
    const flag = join(dir, "paused");
    const run = startCli(["--db", dbPath, next], { [PAUSE_ENV]: flag });
    await waitFor(() => existsSync(flag), 60_000, "the pause hook");
    run.child.kill("SIGKILL");
    await run.done;
    const again = await startCli(["--db", dbPath, next]).done;
    expect(again.code, again.stderr).toBe(0);
    await withFileDb(dbPath, async (db) => {
      expect(await fingerprint(db)).toEqual(after);
      expect((await listImports(db)).map((r) => r.status)).toEqual(["succeeded", "interrupted", "succeeded"]);
    });
  }, 60_000);

  // The log row is completed inside the data's transaction: a kill right after COMMIT finds both.
  it("a kill right after COMMIT returned: the new data, and the log says succeeded", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "binome.duckdb");
    copyFileSync(template, dbPath);
    const trace = join(dir, "trace");
    const run = startCli(["--db", dbPath, next], { BINOME_RELIABILITY_TRACE: trace, BINOME_RELIABILITY_PAUSE_AT: "commit" }, ["--import", TRACE_PRELOAD]);
    await waitFor(() => readText(trace).includes("paused"), 60_000, "the pause after COMMIT");
    run.child.kill("SIGKILL");
    await run.done;
    await withFileDb(dbPath, async (db) => {
      expect(await fingerprint(db)).toEqual(after);
      expect((await listImports(db))[0].status).toBe("succeeded");
    });
  }, 60_000);
  it(`the server killed during a web import: previous data, "interrupted" after restart, import again (${LONG ? 6 : 2} trials)`, async () => {
    const dir = tempDir();
    const dbPath = join(dir, "binome.duckdb");
    await prepareDatabase(dbPath, [exportCopy("basic")]);
    expect(await withFileDb(dbPath, (db) => fingerprint(db))).toEqual(before);
    const env = { BINOME_DB: dbPath, BINOME_UPLOAD_DIR: join(dir, "uploads") };
    const random = rng(7);
    let server: Server | null = null;
    // Every step has its own deadline, so a stuck step fails naming itself and the server's
    // last output rather than running into the test's timeout; the log gives each step's time.
    const started = Date.now();
    const timings: string[] = [];
    const step = async <T>(name: string, work: () => Promise<T>, ms = 60_000): Promise<T> => {
      const t = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, fail) => {
        timer = setTimeout(() => fail(new Error(`step "${name}" took over ${ms} ms (steps so far: ${timings.join(", ")})\n${server?.output().slice(-2000) ?? ""}`)), ms);
      });
      try {
        return await Promise.race([work(), deadline]);
      } finally {
        clearTimeout(timer);
        timings.push(`${name} ${Date.now() - t} ms`);
      }
    };
    try {
      for (let trial = 0; trial < (LONG ? 6 : 2); trial++) {
        const flag = join(dir, `paused-${trial}`);
        server = await step(`start ${trial}`, () => startBinome({ ...env, [PAUSE_ENV]: flag }));
        const running = server;
        const cookie = await step(`sign in ${trial}`, () => signIn(running));
        await step(`upload and confirm ${trial}`, () => startWebImport(running, cookie, next));
        // The pause hook fires inside the import's transaction, after its first insert.
        await step(`pause hook ${trial}`, () => waitFor(() => existsSync(flag), 60_000, "the pause hook in the server"));
        await sleep(random() * 30);
        running.process.kill("SIGKILL");
        expect(await step(`exit ${trial}`, () => running.exited)).toMatchObject({ signal: "SIGKILL" });
        server = null;
        await step(`check ${trial}`, () =>
          withFileDb(dbPath, async (db) => {
            expect(await fingerprint(db), `trial ${trial}`).toEqual(before);
            expect((await listImports(db))[0].status).toBe("interrupted");
          }),
        );
      }
      // Restarted without the hook: healthy, the history says interrupted, and the import works.
      server = await step("restart", () => startBinome(env));
      const running = server;
      const get = (path: string, cookie?: string) => fetch(`${running.url}${path}`, { headers: cookie ? { Cookie: cookie } : {}, signal: AbortSignal.timeout(60_000) });
      expect((await step("healthz", () => get("/healthz"))).status).toBe(200);
      const cookie = await step("sign in again", () => signIn(running, ADMIN.username, ADMIN.password));
      const page = await step("import history", async () => (await get("/admin/imports", cookie)).text());
      expect(page.match(/data-status="interrupted"/g)?.length).toBe(LONG ? 6 : 2);
      const jobId = await step("upload and confirm again", () => startWebImport(running, cookie, next));
      const job = await step("import to its end", async () => {
        let state = await importJob(running, cookie, jobId);
        while (state.state === "running") {
          await sleep(100);
          state = await importJob(running, cookie, jobId);
        }
        return state;
      });
      expect(job, running.output().slice(-2000)).toMatchObject({ state: "done", report: { outcome: "imported" } });
      await step("stop", () => running.stop());
      server = null;
      await step("check the import", () =>
        withFileDb(dbPath, async (db) => {
          expect(await fingerprint(db)).toEqual(after);
          expect((await listImports(db))[0].status).toBe("succeeded");
        }),
      );
      console.log(`server trials: ${timings.join(", ")}; ${Date.now() - started} ms in all`);
    } finally {
      if (server) server.process.kill("SIGKILL");
    }
  }, 300_000);
});
