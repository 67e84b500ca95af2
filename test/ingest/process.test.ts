import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { applySchema, wrapConnection, type Db } from "../../analytics/db/database.server.ts";
import { PAUSE_ENV, ingestExport, listImports } from "../../analytics/ingest/index.server.ts";
import { FIXTURES, ROOT, exportCopy, snapshot, tempDir } from "./helpers.ts";

const CLI = join(ROOT, "cli/ingest.ts");

/** Runs the ingest CLI as `npm run ingest` does (tsx), without npm in between (a kill must reach it). */
function startCli(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Opens a database file in this process and really closes it afterwards (no instance cache). */
async function withFileDb<T>(path: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  try {
    return await fn(wrapConnection(path, connection));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function waitFor(path: string, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!existsSync(path)) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${path}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the ingest CLI as a process", () => {
  it("leaves the database at its previous state when killed with SIGKILL inside the transaction", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "binome.duckdb");
    const before = await withFileDb(dbPath, async (db) => {
      await applySchema(db);
      expect((await ingestExport(db, [exportCopy("basic")])).outcome).toBe("imported");
      return snapshot(db);
    });

    const flag = join(dir, "paused");
    const changed = exportCopy("basic", { "meetings.csv": "meeting_id,pair_id,date,mode,duration_minutes\nM9,B1,2025-02-01,offline,60\n" });
    const run = startCli(["--db", dbPath, changed], { [PAUSE_ENV]: flag });
    await waitFor(flag);
    run.child.kill("SIGKILL");
    expect(await run.done).toMatchObject({ code: null, signal: "SIGKILL" });

    await withFileDb(dbPath, async (db) => {
      // The kill landed inside the import: its log row was written before and never completed.
      expect(await db.all("select import_id, status from imports order by 1")).toEqual([
        { import_id: 1, status: "succeeded" },
        { import_id: 2, status: "running" },
      ]);
      expect(await snapshot(db)).toEqual(before);
      expect((await listImports(db)).map((r) => r.status)).toEqual(["interrupted", "succeeded"]);
    });

    const again = await startCli(["--db", dbPath, changed]).done;
    expect(again).toMatchObject({ code: 0 });
    await withFileDb(dbPath, async (db) => {
      expect(await db.all("select meeting_id from meetings")).toEqual([{ meeting_id: "M9" }]);
    });
  });

  it("says in one sentence that another process holds the database, and exits with 3", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "binome.duckdb");
    const holder = spawn(
      process.execPath,
      ["--input-type=module", "-e", `import { DuckDBInstance } from "@duckdb/node-api";
const instance = await DuckDBInstance.create(process.argv[1]);
await (await instance.connect()).run("create table held (x integer)");
process.stdout.write("ready\\n");
setInterval(() => {}, 1000);`, dbPath],
      { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on("data", (d) => String(d).includes("ready") && resolve());
        holder.on("exit", () => reject(new Error("the holder exited")));
      });
      const run = await startCli(["--db", dbPath, exportCopy("basic")]).done;
      expect(run.code).toBe(3);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe(
        `ingest: The database ${dbPath} is in use by another process (PID ${holder.pid}), probably the Binôme server: stop it first, or point --db at another file.\n`,
      );
    } finally {
      holder.kill("SIGKILL");
    }
  });

  it("imports several folders as several exports, so two programs may reuse ids", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "binome.duckdb");
    const beta = exportCopy("basic", {
      "programs.csv": "program_id,name,kind,start_date,end_date\nbeta,Beta,inter,2025-01-01,2025-12-31\n",
      "participants.csv": readFileSync(join(FIXTURES, "basic/participants.csv"), "utf8").replaceAll(",alpha,", ",beta,"),
      "topics.csv": readFileSync(join(FIXTURES, "basic/topics.csv"), "utf8").replaceAll(",alpha,", ",beta,"),
      "pairs.csv": readFileSync(join(FIXTURES, "basic/pairs.csv"), "utf8").replaceAll(",alpha,", ",beta,"),
      "costs.csv": null,
    });
    const run = await startCli(["--db", dbPath, exportCopy("basic"), beta]).done;
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/: Imported \(import #1\): alpha \(added\)\.\n.*\n.*: Imported \(import #2\): beta \(added\)\.\n/);
    await withFileDb(dbPath, async (db) => {
      expect(await db.all("select program_id, count(*) as n from meetings group by 1 order by 1")).toEqual([
        { program_id: "alpha", n: 3 },
        { program_id: "beta", n: 3 },
      ]);
    });
  });

  it("refuses to empty a table on re-import (exit 1) unless --allow-emptying", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "binome.duckdb");
    await withFileDb(dbPath, async (db) => {
      await applySchema(db);
      expect((await ingestExport(db, [exportCopy("basic")])).outcome).toBe("imported");
    });
    const partial = exportCopy("basic", { "evaluations.csv": null });
    const refused = await startCli(["--db", dbPath, partial]).done;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      "evaluations: program alpha has 2 stored rows and none in this export: refusing to empty the table (use --allow-emptying to do it)\n" +
        "Refused: the import would empty 1 table; nothing was written.\n",
    );
    const allowed = await startCli(["--db", dbPath, "--allow-emptying", partial]).done;
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain("evaluations 2→0");
  });

  it("exits with 1 on invalid input, 2 on wrong usage, 0 with --help", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "binome.duckdb");
    const [invalid, usage, noPath, help] = await Promise.all([
      startCli(["--db", dbPath, exportCopy("basic", { "costs.csv": "program_id,date,category,amount,currency\nalpha,2025-01-01,other,1,USD\n" })]).done,
      startCli(["--db", dbPath, "--frobnicate", "x"]).done,
      startCli(["--db", dbPath]).done,
      startCli(["--help"]).done,
    ]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toBe('costs.csv:2: currency: differs from the program\'s currency EUR ("USD")\n1 problem: nothing was written.\n');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^ingest: Unknown option '--frobnicate'.*\nRun `npm run ingest -- --help` for usage.\n$/);
    expect(noPath.code).toBe(2);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run -s ingest -- \[--db PATH\] \[--dry-run\] \[--allow-emptying\] \[--mapping FILE\] PATH…/);
  });
});
