// The report CLI as a user runs it: a real database file, a child process, exit codes.
import { DuckDBInstance } from "@duckdb/node-api";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, openDatabase, wrapConnection, type Db } from "../../analytics/db/database.server.ts";
import { getProgramReport } from "../../analytics/report/report.server.ts";
import { loadFixture } from "./helpers.ts";

const root = resolve(import.meta.dirname, "../..");
const tsx = join(root, "node_modules/tsx/dist/cli.mjs");
let dir: string;
let dbPath: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function report(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [tsx, join(root, "cli/report.ts"), ...args],
      { cwd: root, env: { ...process.env, TZ: "UTC", BINOME_DB: dbPath } },
      (error, stdout, stderr) => done({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "binome-report-cli-"));
  dbPath = join(dir, "binome.duckdb");
  // Not through openDatabase's instance cache: this process must let go of the file so the
  // CLI (another process) can open it.
  const instance = await DuckDBInstance.create(dbPath);
  const connection = await instance.connect();
  const db = wrapConnection(dbPath, connection);
  await applySchema(db);
  await loadFixture(db, "octave");
  await loadFixture(db, "pilot");
  connection.closeSync();
  instance.closeSync();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run report", () => {
  it("--help prints the usage on stdout and exits 0", async () => {
    const run = await report("--help");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: npm run -s report -- [--db PATH] --program ID");
  });

  it("prints the JSON report alone on stdout", async () => {
    const run = await report("--db", dbPath, "--program", "P1", "--as-of", "2025-05-15", "--audience", "hr");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const expected = await (async () => {
      const db = await openDatabase(":memory:");
      try {
        await applySchema(db);
        await loadFixture(db, "octave");
        // The CLI always asks for the impact figures (issue 13; no workforce here).
        return await getProgramReport(db, "P1", { asOf: "2025-05-15", audience: "hr", impact: { costPerDeparture: null } });
      } finally {
        db.close();
      }
    })();
    expect(JSON.parse(run.stdout)).toEqual(expected);
  });

  it("prints CSV and Markdown", async () => {
    const csv = await report("--program", "P2", "--as-of", "2025-06-15", "--format", "csv");
    expect(csv.code).toBe(0);
    expect(csv.stdout.split("\n")[0]).toBe("section,group,metric,value,suppressed");
    expect(csv.stdout).toContain("participants,,total,3,false");
    const fr = await report("--program", "P1", "--as-of", "2025-05-15", "--format", "csv", "--lang", "fr");
    expect(fr.code).toBe(0);
    expect(fr.stdout.startsWith("\uFEFFsection;group;metric;value;suppressed\n")).toBe(true);
    expect(fr.stdout).toContain(`by_gender;M;midpoint_satisfaction_mean;${String(10 / 3).replace(".", ",")};false`);
    const md = await report("--program", "P1", "--format", "md", "--audience", "sponsor", "--org", "ORG-A");
    expect(md.code).toBe(0);
    expect(md.stdout).toContain("# Octave test (P1)");
    expect(md.stdout).toContain("Other organizations (others)");
  });

  it.each([
    [["--program", "P1", "--k", "2"], "invalid --k"],
    [["--program", "P1", "--k", "five"], "invalid --k"],
    [["--program", "P1", "--audience", "sponsor"], "--org ORG_ID is required"],
    [["--program", "P1", "--audience", "ceo"], "invalid --audience"],
    [["--program", "P1", "--format", "xlsx"], "invalid --format"],
    [["--program", "P1", "--format", "csv", "--lang", "de"], "invalid --lang"],
    [["--program", "P1", "--as-of", "15/05/2025"], "invalid as-of date"],
    [["--as-of", "2025-05-15"], "--program is required"],
    [["--program", "P1", "--bogus"], "Unknown option '--bogus'"],
  ])("wrong usage %j exits 2", async (args, message) => {
    const run = await report(...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(message);
  });

  it("an unknown program or a missing database file exits 1 with a clear message", async () => {
    const run = await report("--program", "NOPE");
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain('no program "NOPE"');
    const missing = join(dir, "missing.duckdb");
    const noDb = await report("--db", missing, "--program", "P1");
    expect(noDb.code).toBe(1);
    expect(noDb.stderr).toContain(`no database at ${missing}`);
    expect(existsSync(missing)).toBe(false);
  });

  it("exits 3 when another process holds the database", async () => {
    let holder: Db | null = null;
    try {
      holder = await openDatabase(dbPath);
      const run = await report("--program", "P1");
      expect(run.code).toBe(3);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain("is in use by another process");
    } finally {
      holder?.close();
    }
  });
});
