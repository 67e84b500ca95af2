// `npm run privacy-audit`: help, usage errors and exit codes (the audit itself: audit.test.ts).
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { applySchema, wrapConnection } from "../../analytics/db/database.server.ts";

const root = resolve(".");
const tsx = join(root, "node_modules/tsx/dist/cli.mjs");
let dir: string;
let dbPath: string;

function audit(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [tsx, join(root, "cli/privacy-audit.ts"), ...args], { cwd: root, env: { ...process.env, TZ: "UTC" } }, (error, stdout, stderr) =>
      done({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "binome-audit-cli-"));
  dbPath = join(dir, "binome.duckdb");
  // An instance of its own, closed: the cached one would keep the file locked for the child.
  const instance = await DuckDBInstance.create(dbPath);
  const connection = await instance.connect();
  await applySchema(wrapConnection(dbPath, connection));
  connection.closeSync();
  instance.closeSync();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run privacy-audit", () => {
  it("--help says what it does and the exit codes", async () => {
    const run = await audit("--help");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: npm run -s privacy-audit");
    expect(run.stdout).toContain("Exit codes: 0 nothing found, 1 a hidden cell can be narrowed");
  });

  it.each([
    [["--db", "x.duckdb"], "--program is required"],
    [["--program", "P", "--audience", "ceo"], "invalid --audience"],
    [["--program", "P", "--k", "2"], "invalid --k"],
    [["--program", "P", "--format", "xml"], "invalid --format"],
    [["--program", "P", "--bogus"], "Unknown option"],
  ])("%j is wrong usage: exit 2 naming the problem", async (args, message) => {
    const run = await audit(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it("an unknown program or a missing database exits 1 and says so", async () => {
    const unknown = await audit("--db", dbPath, "--program", "no-such-program");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no program "no-such-program"');
    const missing = await audit("--db", join(dir, "none.duckdb"), "--program", "P");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no database at");
  });
});
