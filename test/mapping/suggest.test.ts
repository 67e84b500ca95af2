/**
 * `--suggest-mapping`: the mapping suggested for the two shipped layouts imports octave-demo
 * exactly as their presets do, without edits; for a third layout, kept here as a fixture only
 * (not a preset), at least 90 % of its columns are right.
 */
import { describe, expect, it } from "vitest";
import { withMemoryDatabase } from "../../analytics/db/database.server.ts";
import { readSources } from "../../analytics/ingest/mapping/ingest.server.ts";
import { flatPreset } from "../../analytics/ingest/mapping/presets.ts";
import { parseMapping, type ColumnRule, type Mapping } from "../../analytics/ingest/mapping/schema.ts";
import { suggestMapping } from "../../analytics/ingest/mapping/suggest.ts";
import { UPLOAD_LIMITS } from "../../analytics/ops/upload.server.ts";
import { writeFlatLayout } from "../../seeds/flat-layout.ts";
import { snapshot } from "../ingest/helpers.ts";
import { THIRD_LAYOUT } from "../fixtures/layouts/third-layout.ts";
import { mapping, octaveDemo, preset, run, subDir, tempDir } from "./helpers.ts";

async function imported(paths: string[], m: ReturnType<typeof mapping>) {
  return withMemoryDatabase(async (db) => {
    const result = await run(db, paths, { mapping: m });
    expect(result.lines).toEqual([]);
    expect(result.outcome).toBe("imported");
    return snapshot(db);
  });
}

function suggested(paths: string[]) {
  const read = readSources(paths, UPLOAD_LIMITS);
  expect(read.problems).toEqual([]);
  return suggestMapping(read.sources);
}

describe("suggested mappings", () => {
  for (const layout of ["flat-fr", "flat-en"]) {
    it(`${layout}: the suggestion imports the workbook and the CSV files as the preset does, without edits`, async () => {
      const native = await octaveDemo();
      const base = tempDir();
      const workbook = writeFlatLayout(native, subDir(base, "xlsx"), layout, "xlsx", "octave-demo");
      const csvDir = subDir(base, "csv");
      writeFlatLayout(native, csvDir, layout, "csv", "octave-demo");
      const expected = await imported(workbook, preset(layout));
      for (const paths of [workbook, [csvDir]]) {
        const got = await imported(paths, mapping(suggested(paths), "suggested"));
        expect(got).toEqual(expected);
      }
    });
  }

  it("a third layout (a test fixture, not a preset): at least 90 % of its columns right", async () => {
    const native = await octaveDemo();
    const dir = subDir(tempDir(), "third");
    const paths = writeFlatLayout(native, dir, THIRD_LAYOUT, "xlsx", "platform-export");
    const expected = parseMapping(flatPreset("third", THIRD_LAYOUT, "the fixture's own mapping"));
    const got = parseMapping(suggested(paths));
    if (!expected.ok) throw new Error(expected.problems.join("\n"));
    if (!got.ok) throw new Error(got.problems.join("\n"));
    const { right, total, wrong } = compare(expected.mapping, got.mapping);
    expect(total).toBeGreaterThan(80);
    expect(right / total, wrong.join("\n")).toBeGreaterThanOrEqual(0.9);
  });
});

/** Columns of the expected mapping that the suggestion gives the same way (same headers, same value map on the values). */
function compare(expected: Mapping, got: Mapping) {
  let right = 0;
  let total = 0;
  const wrong: string[] = [];
  const key = (p: Mapping["parts"][number]) => `${p.table}:${p.source}:${p.columns.find(([t]) => t === "participant_id" || t === "org_id")?.[1].from ?? ""}`;
  const parts = new Map(got.parts.map((p) => [key(p), p]));
  for (const part of expected.parts) {
    const other = parts.get(key(part));
    for (const [target, rule] of part.columns) {
      total++;
      const mine = other?.columns.find(([t]) => t === target)?.[1];
      if (mine && same(rule, mine)) right++;
      else wrong.push(`${part.path} ${target}: expected ${JSON.stringify(rule)}, got ${JSON.stringify(mine ?? null)}`);
    }
  }
  return { right, total, wrong };
}

function same(a: ColumnRule, b: ColumnRule): boolean {
  if ((a.from ?? null) !== (b.from ?? null) || (a.const ?? null) !== (b.const ?? null)) return false;
  if (JSON.stringify(a.pseudonym ?? null) !== JSON.stringify(b.pseudonym ?? null)) return false;
  if (Boolean(a.year) !== Boolean(b.year)) return false;
  // A value map is right when it maps every value the suggestion saw as the expected one does.
  if (a.values && b.values) {
    const norm = (s: string) => s.toLowerCase();
    const expected = new Map(Object.entries(a.values).map(([k, v]) => [norm(k), v]));
    return Object.entries(b.values).every(([k, v]) => expected.get(norm(k)) === v);
  }
  return true;
}
