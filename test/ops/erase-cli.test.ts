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

  it("npm run seed into a database erases again a participant of its ledger (the demo takes the same import)", async () => {
    const dir = tempDir();
    const path = join(dir, "binome.duckdb");
    const seed = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "cli/seed.ts"), "--out", join(dir, "demo"), "--db", path, "--programs", "octave-demo", ...args], { encoding: "utf8" });
    expect(seed().status).toBe(0);
    let id: string;
    const handle = await openFile(path);
    try {
      [{ id }] = await handle.db.all<{ id: string }>("select participant_id as id from participants where program_id = 'octave-demo' order by 1 limit 1");
    } finally {
      handle.close();
    }
    expect(erase("--db", path, "erase", "octave-demo", id).status).toBe(0);
    expect(fileContains(path, id)).toBe(false);
    // Seeding again with another seed writes a new export of the program, which lists them again.
    const again = seed("--seed", "2");
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toContain("octave-demo: 1 participant(s) of the erasure ledger erased again");
    const after = await openFile(path);
    try {
      expect(await after.db.all("select count(*)::integer as n from participants where participant_id = $id", { id })).toEqual([{ n: 0 }]);
    } finally {
      after.close();
    }
  }, 60_000);
});
