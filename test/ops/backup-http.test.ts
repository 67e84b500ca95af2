import type { ServerBuild } from "@remix-run/node";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../analytics/db/database.server.ts";
import { ingestExport } from "../../analytics/ingest/index.server.ts";
import { backupFromServer, listBackups, restoreDatabase, verifyBackup } from "../../analytics/ops/backup.server.ts";
import { openExclusive } from "../../analytics/ops/file-db.server.ts";
import { createApp } from "../../server/app.ts";
import { fixtureDb, insertUser, ORG_A, PASSWORD } from "../auth/helpers.ts";
import { BASIC, tempDir } from "./helpers.ts";

// Backups while the server runs, through express + the production build: the Backups page
// writes a folder that verifies and restores to the live database's counts; admin only.
type G = { __binomeDb?: Promise<Db>; __binomeImportDb?: Promise<Db> };
let db: Db;
let server: Server;
let base = "";
let backupDir = "";

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.BINOME_ORIGIN = base;
  backupDir = join(tempDir(), "backups");
  process.env.BINOME_BACKUP_DIR = backupDir;
  db = await fixtureDb();
  const imported = await ingestExport(db, [BASIC]);
  expect(imported.outcome).toBe("imported");
  await insertUser(db, "admin", "admin", null);
  await insertUser(db, "hr-a", "hr", ORG_A);
  (globalThis as G).__binomeDb = Promise.resolve(db);
  const build = (await import(pathToFileURL(resolve("build/server/index.js")).href)) as ServerBuild;
  server.on("request", createApp({ build, origin: base }));
});

afterAll(async () => {
  await new Promise((done) => server?.close(done));
  const importDb = await (globalThis as G).__binomeImportDb;
  delete (globalThis as G).__binomeDb;
  delete (globalThis as G).__binomeImportDb;
  importDb?.close();
  db?.close();
});

const get = (path: string, cookie?: string) => fetch(`${base}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
const post = (path: string, body: URLSearchParams, cookie?: string) =>
  fetch(`${base}${path}`, { method: "POST", redirect: "manual", headers: { Origin: base, ...(cookie ? { Cookie: cookie } : {}) }, body });

async function signIn(username: string): Promise<string> {
  const response = await post("/login", new URLSearchParams({ username, password: PASSWORD, redirectTo: "/" }));
  expect(response.status).toBe(302);
  return (response.headers.get("set-cookie") ?? "").split(";")[0];
}

async function counts(on: Db): Promise<Record<string, number>> {
  const tables = await on.all<{ table_name: string }>(
    "select table_name from information_schema.tables where table_schema = 'main' and table_type = 'BASE TABLE' and table_catalog = current_database() order by 1",
  );
  const out: Record<string, number> = {};
  for (const { table_name } of tables) out[table_name] = (await on.all<{ n: number }>(`select count(*)::integer as n from "${table_name}"`))[0].n;
  return out;
}

async function restoredCounts(backup: string): Promise<Record<string, number>> {
  const path = join(tempDir(), "restored.duckdb");
  await restoreDatabase(backup, path);
  const handle = await openExclusive(path);
  try {
    return await counts(handle.db);
  } finally {
    handle.close();
  }
}

const folders = () => readdirSync(backupDir).sort();

describe("backups while the server runs", () => {
  it("admin only: signed out to the login page, other roles 403 and no backup made", async () => {
    const out = await get("/admin/backups");
    expect(out.status).toBe(302);
    expect(out.headers.get("location")).toMatch(/^\/login/);
    expect((await post("/admin/backups", new URLSearchParams({ intent: "backup" }))).status).toBe(302);
    const hr = await signIn("hr-a");
    expect((await get("/admin/backups", hr)).status).toBe(403);
    expect((await post("/admin/backups", new URLSearchParams({ intent: "backup" }), hr)).status).toBe(403);
    expect(listBackups(backupDir)).toEqual([]);
  });

  it("an empty folder shows the empty state", async () => {
    const html = await (await get("/admin/backups", await signIn("admin"))).text();
    expect(html).toContain('data-testid="backups-empty"');
    expect(html).toContain('href="/admin/backups"');
  });

  it("Back up now: a folder that verifies, audited, and that restores to the live counts", async () => {
    const admin = await signIn("admin");
    const response = await post("/admin/backups", new URLSearchParams({ intent: "backup" }), admin);
    const html = await response.text();
    expect(response.status, html.slice(0, 500)).toBe(200);
    expect(html).toContain('data-testid="backups-result"');
    const live = await counts(db);
    expect(folders()).toHaveLength(1);
    const [name] = folders();
    expect(name).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z$/);
    expect(html).toContain(`into ${name}`);
    const manifest = await verifyBackup(join(backupDir, name));
    expect(manifest.tables).toEqual(live);
    expect(manifest.tables.participants).toBeGreaterThan(0);
    expect(await restoredCounts(join(backupDir, name))).toEqual(live);
    const audit = await db.all<{ action: string }>("select action from audit_log order by logged_at desc limit 1");
    expect(audit).toEqual([{ action: "backup_database" }]);
  });

  it("the page lists the backup; Verify checks its checksums and names a damaged file", async () => {
    const admin = await signIn("admin");
    const [name] = folders();
    const page = await (await get("/admin/backups", admin)).text();
    expect(page).not.toContain('data-testid="backups-empty"');
    expect(page).toContain(`data-backup="${name}" data-check="unchecked"`);
    const verified = await post("/admin/backups", new URLSearchParams({ intent: "verify", name }), admin);
    expect(verified.status).toBe(200);
    expect(await verified.text()).toContain(`data-backup="${name}" data-check="verified"`);

    const manifest = JSON.parse(readFileSync(join(backupDir, name, "manifest.json"), "utf8")) as { files: { path: string }[] };
    const victim = join(backupDir, name, manifest.files.find((f) => f.path.endsWith(".parquet"))!.path);
    const original = readFileSync(victim);
    writeFileSync(victim, Buffer.concat([original, Buffer.from("x")]));
    try {
      const damaged = await post("/admin/backups", new URLSearchParams({ intent: "verify", name }), admin);
      expect(damaged.status).toBe(400);
      const text = await damaged.text();
      expect(text).toContain(`data-backup="${name}" data-check="damaged"`);
      expect(text).toContain("does not match its checksum");
    } finally {
      writeFileSync(victim, original);
    }
    // Only folders of the list can be verified: no path outside the backups folder.
    expect((await post("/admin/backups", new URLSearchParams({ intent: "verify", name: "../.." }), admin)).status).toBe(400);
  });
});

describe("backupFromServer", () => {
  /** The data-operations connection, with `hook` run just before the EXPORT statement. */
  async function withHook(hook: (sql: string) => Promise<void>): Promise<Db> {
    const ops = await db.connectAgain();
    return {
      ...ops,
      run: async (sql, params) => {
        if (/^export database/i.test(sql)) await hook(sql);
        await ops.run(sql, params);
      },
    };
  }

  it("counts and exports one snapshot: a row committed meanwhile on the pages' connection is in neither", async () => {
    const dir = tempDir();
    const before = (await counts(db)).organizations;
    const ops = await withHook(() => db.run("insert into organizations (org_id, name) values ('org-late', 'Committed during the backup')"));
    try {
      const made = await backupFromServer(ops, dir, new Date("2026-11-26T13:45:07.250Z"));
      expect(made.name).toBe("2026-11-26T13-45-07Z");
      expect(made.manifest.tables.organizations).toBe(before);
      expect((await counts(db)).organizations).toBe(before + 1);
      expect((await restoredCounts(made.path)).organizations).toBe(before);
      const again = await backupFromServer(await db.connectAgain(), dir, new Date("2026-11-26T13:45:07.900Z"));
      expect(again.name).toBe("2026-11-26T13-45-07Z-2");
      expect(listBackups(dir).map((b) => b.name)).toEqual(["2026-11-26T13-45-07Z-2", "2026-11-26T13-45-07Z"]);
    } finally {
      ops.close();
    }
  });

  it("a backup that fails half-way leaves no folder behind", async () => {
    const dir = tempDir();
    const ops = await db.connectAgain();
    const failing: Db = {
      ...ops,
      run: async (sql, params) => {
        await ops.run(sql, params);
        // The Parquet files are written; the failure comes after them.
        if (/^export database/i.test(sql)) throw new Error("disk full (simulated)");
      },
    };
    try {
      await expect(backupFromServer(failing, dir)).rejects.toThrow(/disk full/);
      expect(readdirSync(dir)).toEqual([]);
      expect(listBackups(dir)).toEqual([]);
      // The transaction was rolled back: the connection takes another one.
      await ops.run("begin transaction");
      await ops.run("rollback");
    } finally {
      ops.close();
    }
  });
});
