import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { withMemoryDatabase } from "../../analytics/db/database.server.ts";
import { ingestExport } from "../../analytics/ingest/index.server.ts";
import { purgeExpired } from "../../analytics/ops/programs.server.ts";
import { listRetention, setRetention } from "../../analytics/ops/retention.server.ts";
import { BASIC, importInto, openFile, tempDir } from "./helpers.ts";

const ROOT = resolve(import.meta.dirname, "../..");

describe("retention", () => {
  it("lists each program's purge date (default or its own period) and purges those past it", async () => {
    await withMemoryDatabase(async (db) => {
      expect((await ingestExport(db, [BASIC])).outcome).toBe("imported");
      // alpha ends 2025-12-31.
      expect(await listRetention(db, { today: "2027-12-31", defaultMonths: 24 })).toMatchObject([{ program_id: "alpha", purge_after: "2027-12-31", is_due: false, is_custom: false }]);
      expect(await listRetention(db, { today: "2028-01-01", defaultMonths: 24 })).toMatchObject([{ is_due: true }]);
      await setRetention(db, "alpha", 36);
      expect(await listRetention(db, { today: "2028-01-01", defaultMonths: 24 })).toMatchObject([{ retention_months: 36, is_custom: true, is_due: false }]);
      expect(await purgeExpired(db, { today: "2028-01-01", defaultMonths: 24 })).toEqual([]);
      expect((await purgeExpired(db, { today: "2029-01-01", defaultMonths: 24 })).map((r) => r.program_id)).toEqual(["alpha"]);
      expect(await db.all("select * from programs")).toEqual([]);
      expect(await db.all("select * from participants")).toEqual([]);
      expect(await db.all("select * from program_retention")).toEqual([]);
    });
  });

  it("the CLI lists, refuses to purge without --yes, then purges", async () => {
    const path = join(tempDir(), "binome.duckdb");
    await importInto(path, BASIC);
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "cli/retention.ts"), "--db", path, "--today", "2030-01-01", ...args], { encoding: "utf8" });
    expect(run("list").stdout).toMatch(/DUE alpha\s+ended 2025-12-31\s+kept 24 months \(default\)\s+purge after 2027-12-31/);
    expect(run("purge").stdout).toMatch(/Nothing was deleted/);
    const purge = run("purge", "--yes");
    expect(purge.status, purge.stderr).toBe(0);
    expect(purge.stdout).toMatch(/Purged alpha/);
    const handle = await openFile(path);
    try {
      expect(await handle.db.all("select count(*)::integer as n from programs")).toEqual([{ n: 0 }]);
    } finally {
      handle.close();
    }
  });
});
