import { describe, expect, it } from "vitest";
import { withMemoryDatabase, type Db } from "../../analytics/db/database.server.ts";
import { getProgramReport } from "../../analytics/report/report.server.ts";
import { writeFlatLayout } from "../../seeds/flat-layout.ts";
import { snapshot } from "../ingest/helpers.ts";
import { octaveDemo, preset, run, subDir, tempDir } from "./helpers.ts";

const AS_OF = "2026-06-30";

async function importedState(paths: string[], options: Parameters<typeof run>[2] = {}) {
  return withMemoryDatabase(async (db: Db) => {
    const result = await run(db, paths, options);
    expect(result.lines).toEqual([]);
    expect(result.outcome).toBe("imported");
    const report = await getProgramReport(db, "octave-demo", { asOf: AS_OF });
    return { result, report, data: await snapshot(db), warnings: result.warnings };
  });
}

describe("octave-demo in a flat layout, through its preset, is the native export", () => {
  it("flat French workbook and flat French CSV files: the same rows and the same report (every figure)", async () => {
    const native = await octaveDemo();
    const base = tempDir();
    const workbook = writeFlatLayout(native, subDir(base, "xlsx"), "flat-fr", "xlsx", "octave-demo");
    const csvDir = subDir(base, "csv");
    const csvFiles = writeFlatLayout(native, csvDir, "flat-fr", "csv", "octave-demo");
    expect(csvFiles.map((f) => f.slice(csvDir.length + 1)).sort()).toEqual(
      ["Binômes.csv", "Coûts.csv", "Effectifs.csv", "Programme.csv", "Rendez-vous.csv", "Sans binôme.csv", "Sujets.csv", "Évaluations.csv"].sort(),
    );

    const expected = await importedState([native]);
    expect(expected.report).not.toBeNull();
    for (const paths of [workbook, [csvDir]]) {
      const got = await importedState(paths, { mapping: preset("flat-fr") });
      expect(got.result.rowCounts).toEqual(expected.result.rowCounts);
      expect(got.data).toEqual(expected.data);
      expect(got.report).toEqual(expected.report);
      // The e-mail columns are read by no rule: never stored, and the warning says so.
      expect(got.warnings.filter((w) => /E-mail/.test(w)).every((w) => w.endsWith("looks like names or e-mail addresses: never stored"))).toBe(true);
      expect(got.warnings.filter((w) => /E-mail/.test(w))).toHaveLength(3);
    }
  });

  it("the HR extract on its own sheet (Effectifs) gives the same impact figures; a workbook without that sheet still imports, with no workforce", async () => {
    const native = await octaveDemo();
    const csvDir = subDir(tempDir(), "csv");
    const files = writeFlatLayout(native, csvDir, "flat-fr", "csv", "octave-demo");
    const impactOf = (paths: string[], options: Parameters<typeof run>[2] = {}) =>
      withMemoryDatabase(async (db) => {
        const result = await run(db, paths, options);
        expect(result.outcome).toBe("imported");
        const report = await getProgramReport(db, "octave-demo", { asOf: AS_OF, impact: { horizonMonths: 12, bootstrap: 50 } });
        return { workforce: result.rowCounts.workforce.after, impact: report!.impact };
      });
    const expected = await impactOf([native]);
    expect(expected.workforce).toBeGreaterThan(1000);
    expect(await impactOf([csvDir], { mapping: preset("flat-fr") })).toEqual(expected);
    const withoutExtract = files.filter((f) => !f.endsWith("Effectifs.csv"));
    const got = await impactOf(withoutExtract, { mapping: preset("flat-fr") });
    expect(got.workforce).toBe(0);
    expect(got.impact).toMatchObject({ status: "no_workforce" });
  });

  it("the same files through the same mapping again: nothing to do, as for an export", async () => {
    const native = await octaveDemo();
    const workbook = writeFlatLayout(native, subDir(tempDir(), "xlsx"), "flat-fr", "xlsx", "octave-demo");
    await withMemoryDatabase(async (db) => {
      expect((await run(db, workbook, { mapping: preset("flat-fr") })).outcome).toBe("imported");
      const again = await run(db, workbook, { mapping: preset("flat-fr") });
      expect(again.outcome).toBe("noop");
      const log = await db.all<{ status: string; paths: string }>("select status, paths::varchar as paths from imports order by import_id");
      expect(log.map((l) => l.status)).toEqual(["succeeded", "noop"]);
      expect(log[0].paths).toContain("octave-demo.xlsx");
    });
  });

  it("flat English workbook and CSV files (MM/DD/YYYY, 12,500.00) through flat-en", async () => {
    const native = await octaveDemo();
    const base = tempDir();
    const expected = await importedState([native]);
    const workbook = writeFlatLayout(native, subDir(base, "xlsx"), "flat-en", "xlsx", "octave-demo");
    const csvDir = subDir(base, "csv");
    writeFlatLayout(native, csvDir, "flat-en", "csv", "octave-demo");
    for (const paths of [workbook, [csvDir]]) {
      const got = await importedState(paths, { mapping: preset("flat-en") });
      expect(got.data).toEqual(expected.data);
      expect(got.report).toEqual(expected.report);
    }
  });
});
