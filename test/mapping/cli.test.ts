/** `npm run ingest -- --mapping FILE PATH…`, `--suggest-mapping PATH…` and `npm run seed -- --layout flat-fr`. */
import { spawnSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers.ts";

function cli(name: string, args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [resolve("node_modules/tsx/dist/cli.mjs"), resolve(`cli/${name}.ts`), ...args], { encoding: "utf8", cwd, env: { ...process.env, TZ: "UTC" } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("the CLIs with layouts and mappings", () => {
  it("seed --layout flat-fr writes the workbook and imports it through the preset; ingest --mapping and --suggest-mapping read it", () => {
    const root = tempDir();
    const seeded = cli("seed", ["--out", join(root, "demo"), "--programs", "octave-demo", "--layout", "flat-fr", "--db", join(root, "a.duckdb")], root);
    expect(seeded.stderr.split("\n").filter((l) => l && !l.includes("never stored"))).toEqual([]);
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toContain("octave-demo: imported");
    const dir = join(root, "demo", "octave-demo.flat-fr");
    expect(readdirSync(dir)).toEqual(["octave-demo.xlsx"]);

    const dry = cli("ingest", ["--db", join(root, "b.duckdb"), "--dry-run", "--mapping", "flat-fr", join(dir, "octave-demo.xlsx")], root);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^Dry run: the export is valid; nothing was written\. Programs: octave-demo \(added\)\.\nRows if imported: programs 0→1, organizations 0→6, participants 0→105, topics 0→12, pairs 0→50, meetings 0→495, pair_topics 0→132, evaluations 0→145, costs 0→13, workforce 0→1365\.\n$/);
    expect(dry.stderr).toContain('warning: octave-demo.xlsx [Binômes]: column "E-mail mentor" looks like names or e-mail addresses: never stored');

    const suggested = cli("ingest", ["--suggest-mapping", dir], root);
    expect(suggested.code).toBe(0);
    const mapping = JSON.parse(suggested.stdout);
    expect(mapping.binome_mapping).toBe(1);
    writeFileSync(join(root, "mine.json"), suggested.stdout);
    const imported = cli("ingest", ["--db", join(root, "b.duckdb"), "--mapping", join(root, "mine.json"), dir], root);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^Imported \(import #1\): octave-demo \(added\)\./);
  });

  it("exits 1 with the mapping's problems, naming the file and the path in it", () => {
    const root = tempDir();
    writeFileSync(join(root, "bad.json"), JSON.stringify({ binome_mapping: 1, tables: { programs: { source: "P", columns: { program_id: "Code" } } } }));
    const result = cli("ingest", ["--db", join(root, "x.duckdb"), "--mapping", join(root, "bad.json"), root], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("bad.json: tables.programs.columns: no rule for the required column name");
    expect(result.stderr).toContain("The mapping is invalid: nothing was read.");
    const missing = cli("ingest", ["--mapping", "flat-xx", root], root);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("flat-xx: no such mapping file, and not a preset (flat-fr, flat-en)");
    const both = cli("ingest", ["--mapping", "flat-fr", "--suggest-mapping", root], root);
    expect(both.code).toBe(2);
  });
});
