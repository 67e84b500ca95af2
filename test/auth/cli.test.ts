import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "binome-users-"));
const db = join(dir, "users.duckdb");

function users(args: string[], input?: string) {
  return spawnSync(process.execPath, [resolve("node_modules/tsx/dist/cli.mjs"), "analytics/auth/cli.ts", ...args], {
    input,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, BINOME_DB: db },
  });
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run users", () => {
  it("adds an admin with a password from stdin, lists it without its hash", () => {
    const added = users(["add", "--username", "Boss", "--role", "admin", "--password-stdin"], "a long enough password\n");
    expect(added.stderr).toBe("");
    expect(added.status).toBe(0);
    expect(added.stdout).toContain("Created boss (admin).");
    expect(added.stdout).not.toContain("a long enough password");

    const listed = users(["list", "--format", "json"]);
    expect(listed.status).toBe(0);
    const rows = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
    expect(rows.map((r) => [r.username, r.role, r.org_id, r.disabled_at])).toEqual([["boss", "admin", null, null]]);
    expect(listed.stdout).not.toContain("argon2");
  });
});
