import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applySchema } from "../../analytics/db/database.server.ts";
import { openExclusive } from "../../analytics/ops/file-db.server.ts";

const dir = mkdtempSync(join(tmpdir(), "binome-users-"));
const db = join(dir, "users.duckdb");

function users(args: string[], input?: string) {
  return spawnSync(process.execPath, [resolve("node_modules/tsx/dist/cli.mjs"), "cli/users.ts", ...args], {
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

  it("refuses --org '*' (or one with a space), naming the value, even on a file that holds such an organization", async () => {
    // A file of the previous version whose import stored an organization as `*`.
    const handle = await openExclusive(db);
    try {
      await applySchema(handle.db);
      await handle.db.run("update schema_meta set schema_version = 1");
      await handle.db.run("insert into organizations values ('*', 'Star', null)");
    } finally {
      handle.close();
    }
    const star = users(["add", "--username", "hr-star", "--role", "hr", "--org", "*", "--password-stdin"], "a long enough password\n");
    expect(star.status).toBe(1);
    expect(star.stderr).toContain('"*" is not an organization identifier (1 to 64 letters, digits or _ . : - starting with a letter or digit).');
    // The start-up upgrade renamed the stored `*` and said so.
    expect(star.stderr).toContain('organization id "*" is not a valid identifier: renamed invalid-org-1 (1 organizations)');
    const spaced = users(["add", "--username", "hr-spaced", "--role", "hr", "--org", "ORG 1", "--password-stdin"], "a long enough password\n");
    expect(spaced.status).toBe(1);
    expect(spaced.stderr).toContain('"ORG 1" is not an organization identifier');
    const listed = JSON.parse(users(["list", "--format", "json"]).stdout) as Array<Record<string, unknown>>;
    expect(listed.map((r) => r.username)).toEqual(["boss"]);
  });
});
