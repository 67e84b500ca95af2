/**
 * The cost per departure (issue 13): set per program by the operator (analytics/ops,
 * /admin/programs), used by the report's money when the caller gives none, overridden by the
 * CLI's --cost-per-departure, never a default, and removed with the program by a purge.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, openDatabase, type Db } from "../../analytics/db/database.server.ts";
import { ingestExport } from "../../analytics/ingest/index.server.ts";
import { getProgramReport } from "../../analytics/report/report.server.ts";
import { deleteProgram, listProgramsForAdmin, ProgramOpError, setCostPerDeparture } from "../../analytics/ops/programs.server.ts";
import { generateDemo } from "../../seeds/generate.ts";

let dir: string;
let db: Db;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "binome-impact-settings-"));
  const { folders } = await generateDemo({ outDir: dir, programs: ["octave-demo"] });
  db = await openDatabase(":memory:");
  await applySchema(db);
  expect((await ingestExport(db, [folders[0].dir])).outcome).toBe("imported");
}, 60_000);
afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the cost per departure", () => {
  it("is none until the operator sets one; then the report's money uses it; the caller's own overrides it; null means none", async () => {
    const impact = async (costPerDeparture?: number | null) => (await getProgramReport(db, "octave-demo", { impact: { costPerDeparture, bootstrap: 40 } }))!.impact!;
    expect(await impact()).toMatchObject({ money: null, money_status: "no_cost_per_departure" });
    await setCostPerDeparture(db, "octave-demo", 30_000);
    expect((await listProgramsForAdmin(db)).find((p) => p.program_id === "octave-demo")!.cost_per_departure).toBe(30_000);
    const set = await impact();
    expect(set.money).toMatchObject({ cost_per_departure: 30_000 });
    // departures avoided = retention effect × participants; benefit = × 30,000.
    expect(set.money!.departures_avoided).toBeCloseTo(set.retention!.effect! * set.retention!.participants.n!, 9);
    expect(set.money!.benefit).toBeCloseTo(set.money!.departures_avoided * 30_000, 6);
    expect((await impact(12_000)).money).toMatchObject({ cost_per_departure: 12_000 });
    expect((await impact(null)).money).toBeNull();
    await setCostPerDeparture(db, "octave-demo", null);
    expect((await impact()).money).toBeNull();
    await expect(setCostPerDeparture(db, "octave-demo", -1)).rejects.toThrow(ProgramOpError);
    await expect(setCostPerDeparture(db, "nowhere", 10)).rejects.toThrow(ProgramOpError);
  }, 60_000);

  it("is removed by a purge (deletion without undo)", async () => {
    await setCostPerDeparture(db, "octave-demo", 20_000);
    await deleteProgram(db, "octave-demo", { keepUndo: false });
    expect(await db.all("select count(*)::integer as n from program_impact")).toEqual([{ n: 0 }]);
  });
});
