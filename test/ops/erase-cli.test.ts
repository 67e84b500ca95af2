import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { LONG_ID, exportWithLongId, fileContains, importInto, openFile, tempDir } from "./helpers.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const erase = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "cli/erase.ts"), ...args], { encoding: "utf8" });

describe("npm run erase", () => {
  it("exports, refuses while the file is held (exit 3), erases and rebuilds: the id is nowhere in the file", async () => {
    const path = join(tempDir(), "binome.duckdb");
    await importInto(path, exportWithLongId());
    expect(fileContains(path, LONG_ID)).toBe(true);

    const exported = erase("--db", path, "export", "alpha", LONG_ID);
    expect(exported.status, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout).participant.participant_id).toBe(LONG_ID);

    const handle = await openFile(path);
    try {
      const locked = erase("--db", path, "erase", "alpha", LONG_ID);
      expect(locked.status).toBe(3);
      expect(locked.stderr).toMatch(/stop it first/);
    } finally {
      handle.close();
    }

    const done = erase("--db", path, "erase", "alpha", LONG_ID);
    expect(done.status, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/Erased \(ledger [0-9a-f]{16}…\): .*participants 1/);
    expect(done.stdout).not.toContain(LONG_ID);
    expect(fileContains(path, LONG_ID)).toBe(false);

    const again = erase("--db", path, "erase", "alpha", LONG_ID);
    expect(again.status).toBe(1);
    expect(erase("--db", path, "frobnicate").status).toBe(2);
  });

  it("npm run ingest erases again a participant of the ledger that a later export lists, and rebuilds the file", async () => {
    const path = join(tempDir(), "binome.duckdb");
    const dir = exportWithLongId();
    await importInto(path, dir);
    expect(erase("--db", path, "erase", "alpha", LONG_ID).status).toBe(0);
    // A later export of the program still lists them (the same files would be a no-op import).
    writeFileSync(join(dir, "pairs.csv"), readFileSync(join(dir, "pairs.csv"), "utf8").replace(",0.8,", ",0.9,"));
    const ingest = spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "cli/ingest.ts"), "--db", path, dir], { encoding: "utf8" });
    expect(ingest.status, ingest.stderr).toBe(0);
    expect(ingest.stdout).toMatch(/Imported \(import #\d+\)/);
    expect(ingest.stdout).toContain("Erased again 1 participant of the erasure ledger");
    expect(ingest.stdout).not.toContain(LONG_ID);
    expect(fileContains(path, LONG_ID)).toBe(false);
    const handle = await openFile(path);
    try {
      expect(await handle.db.all("select participant_id from participants order by 1")).toEqual([{ participant_id: "P1" }, { participant_id: "P3" }, { participant_id: "P4" }]);
      expect(await handle.db.all("select count(*)::integer as n from pairs")).toEqual([{ n: 1 }]);
      expect(await handle.db.all("select count(*)::integer as n from erasure_ledger")).toEqual([{ n: 1 }]);
    } finally {
      handle.close();
    }
  });
});
