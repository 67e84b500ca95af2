import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { getProgramReport } from "../../analytics/report/report.server.ts";
import { backupDatabase, restoreDatabase, verifyBackup } from "../../analytics/ops/backup.server.ts";
import { eraseParticipant } from "../../analytics/ops/erasure.server.ts";
import { generateDemo } from "../../seeds/generate.ts";
import { LONG_ID, exportWithLongId, importInto, openFile, tempDir } from "./helpers.ts";

const ROOT = resolve(import.meta.dirname, "../..");

async function reports(path: string): Promise<Record<string, string>> {
  const handle = await openFile(path);
  try {
    const out: Record<string, string> = {};
    const programs = await handle.db.all<{ program_id: string }>("select program_id from programs order by 1");
    for (const { program_id } of programs) out[program_id] = JSON.stringify(await getProgramReport(handle.db, program_id));
    return out;
  } finally {
    handle.close();
  }
}

function cli(script: string, args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "cli", script), ...args], { encoding: "utf8", cwd: ROOT });
}

describe("backup and restore", () => {
  it("backup → delete the database → restore: every program's report is identical", async () => {
    const dir = tempDir();
    const path = join(dir, "binome.duckdb");
    const { folders } = await generateDemo({ outDir: join(dir, "exports"), programs: ["octave-demo"] });
    await importInto(path, folders[0].dir);
    await importInto(path, exportWithLongId());
    const before = await reports(path);
    expect(Object.keys(before)).toEqual(["alpha", "octave-demo"]);

    const backup = join(dir, "backup");
    const made = cli("backup.ts", ["--db", path, backup]);
    expect(made.status, made.stderr).toBe(0);
    const manifest = await verifyBackup(backup);
    expect(manifest.tables.programs).toBe(2);
    expect(manifest.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);

    rmSync(path);
    const restored = cli("restore.ts", ["--db", path, backup]);
    expect(restored.status, restored.stderr).toBe(0);
    expect(await reports(path)).toEqual(before);
  });

  it("refuses while another process holds the file (exit 3), and a damaged backup (exit 1)", async () => {
    const dir = tempDir();
    const path = join(dir, "binome.duckdb");
    await importInto(path, exportWithLongId());
    await backupDatabase(path, join(dir, "backup"));
    const handle = await openFile(path);
    try {
      const locked = cli("restore.ts", ["--db", path, join(dir, "backup")]);
      expect(locked.status).toBe(3);
      expect(locked.stderr).toMatch(/in use by another process/);
      expect(cli("backup.ts", ["--db", path, join(dir, "backup2")]).status).toBe(3);
    } finally {
      handle.close();
    }
    const manifest = JSON.parse(readFileSync(join(dir, "backup/manifest.json"), "utf8"));
    const victim = join(dir, "backup", manifest.files.find((f: { path: string }) => f.path.endsWith(".parquet")).path);
    writeFileSync(victim, Buffer.concat([readFileSync(victim), Buffer.from("x")]));
    const damaged = cli("restore.ts", ["--db", path, join(dir, "backup")]);
    expect(damaged.status).toBe(1);
    expect(damaged.stderr).toMatch(/does not match its checksum/);
    expect(existsSync(path)).toBe(true);
  });

  it("a restore from a backup older than an erasure erases the participant again", async () => {
    const dir = tempDir();
    const path = join(dir, "binome.duckdb");
    await importInto(path, exportWithLongId());
    await backupDatabase(path, join(dir, "backup"));
    let handle = await openFile(path);
    try {
      await eraseParticipant(handle.db, "alpha", LONG_ID);
    } finally {
      handle.close();
    }
    const report = await restoreDatabase(join(dir, "backup"), path);
    expect(report.reErased).toBe(1);
    handle = await openFile(path);
    try {
      expect(await handle.db.all("select participant_id from participants order by 1")).toEqual([{ participant_id: "P1" }, { participant_id: "P3" }, { participant_id: "P4" }]);
      expect(await handle.db.all("select count(*)::integer as n from erasure_ledger")).toEqual([{ n: 1 }]);
    } finally {
      handle.close();
    }
    expect(readFileSync(path).includes(Buffer.from(LONG_ID))).toBe(false);
  });
});
