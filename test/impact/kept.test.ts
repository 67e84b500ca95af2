/**
 * The impact figures are kept with the program's marts until its data changes (martDerived,
 * analytics/metrics/impact.server.ts): a second report gives the same figures without reading
 * the workforce again, each caller gets its own copy, another reader or horizon gets its own
 * figures, and new data (an import, a direct write followed by invalidateMetricMarts) gives the
 * new figures — those a connection that never kept anything computes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, openDatabase, type Db } from "../../analytics/db/database.server.ts";
import { ingestExport } from "../../analytics/ingest/index.server.ts";
import { addMonths, daysBetween } from "../../analytics/impact/bands.ts";
import { estimateImpact, type ImpactRow } from "../../analytics/impact/estimate.ts";
import { IMPACT_MIN_PEOPLE, warmProgramImpact } from "../../analytics/metrics/impact.server.ts";
import { runQuery } from "../../analytics/metrics/queries.server.ts";
import { getProgramReport, type ReportOptions } from "../../analytics/report/report.server.ts";
import { invalidateMetricMarts, withProgramMarts } from "../../analytics/metrics/schema.server.ts";
import { setCostPerDeparture } from "../../analytics/ops/programs.server.ts";
import { generateDemo } from "../../seeds/generate.ts";

const PROGRAM = "large-demo";
let dir: string;
let db: Db;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "binome-impact-kept-"));
  const demo = await generateDemo({ outDir: join(dir, "demo"), programs: [PROGRAM] });
  db = await openDatabase(join(dir, "binome.duckdb"));
  await applySchema(db);
  expect((await ingestExport(db, [demo.folders[0].dir])).outcome).toBe("imported");
}, 120_000);
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ADMIN: ReportOptions = { audience: "admin", asOf: "2026-11-20", impact: { horizonMonths: 12 } };

/** The same connection, counting the column-wise reads (the workforce's counts are the only ones). */
function counting(of: Db): { db: Db; reads: () => number } {
  let reads = 0;
  return { db: { ...of, columns: (sql, params) => (reads++, of.columns(sql, params)) }, reads: () => reads };
}

/** The figures a connection that kept nothing computes (a new connection has no marts yet). */
async function fresh(options: ReportOptions) {
  const other = await db.connectAgain();
  try {
    return (await getProgramReport(other, PROGRAM, options))!.impact;
  } finally {
    other.close();
  }
}

describe("the report's impact figures", () => {
  it("are the estimate over sql/impact/records.sql's rows (the report reads them as lists, sql/impact/record_lists.sql)", async () => {
    const { rows, summary } = await withProgramMarts(db, PROGRAM, async () => ({
      rows: await runQuery<ImpactRow & { outcome: "retention" | "promotion" }>(db, "impact/records", { program_id: PROGRAM, horizon_months: 12 }),
      summary: (await runQuery<{ start_date: string; longest_horizon_months: number; participants_missing: number }>(db, "impact/summary", { program_id: PROGRAM }))[0],
    }));
    const of = (outcome: string) => rows.filter((r) => r.outcome === outcome).map(({ outcome: _, ...row }) => row);
    const expected = estimateImpact(
      {
        horizonMonths: 12,
        monthDays: Array.from({ length: 13 }, (_, m) => daysBetween(summary.start_date, addMonths(summary.start_date, m))),
        longestHorizonMonths: summary.longest_horizon_months,
        participantsMissing: summary.participants_missing,
        retention: of("retention"),
        promotion: of("promotion"),
      },
      { k: IMPACT_MIN_PEOPLE, protectedCounts: false, costPerDeparture: null, programCost: null, moneyHidden: false },
    );
    const impact = (await getProgramReport(db, PROGRAM, ADMIN))!.impact!;
    expect(impact.retention).toEqual(expected.retention);
    expect(impact.promotion).toEqual(expected.promotion);
    expect(impact.status).toBe("ok");
  });
});

describe("the kept impact figures", () => {
  it("are the same on a second report, and each caller's copy is its own", async () => {
    const first = (await getProgramReport(db, PROGRAM, ADMIN))!.impact!;
    expect(first.status).toBe("ok");
    const second = (await getProgramReport(db, PROGRAM, ADMIN))!.impact!;
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    second.retention!.effect = 42;
    second.retention!.curves.length = 0;
    expect((await getProgramReport(db, PROGRAM, ADMIN))!.impact).toEqual(first);
    expect(first).toEqual(await fresh(ADMIN));
  });

  it("read the workforce once: a second report, another reader of the same horizon, and after the warm-up (on a connection of its own) none", async () => {
    const other = await db.connectAgain();
    try {
      const { db: spied, reads } = counting(other);
      await getProgramReport(spied, PROGRAM, { ...ADMIN, impact: { horizonMonths: 9 } });
      expect(reads()).toBe(1);
      await getProgramReport(spied, PROGRAM, { ...ADMIN, impact: { horizonMonths: 9 } });
      await getProgramReport(spied, PROGRAM, { ...ADMIN, audience: "hr", impact: { horizonMonths: 9 } });
      expect(reads()).toBe(1);
      await warmProgramImpact(spied, PROGRAM);
      await getProgramReport(spied, PROGRAM, ADMIN);
      expect(reads()).toBe(1);
      await getProgramReport(spied, PROGRAM, { ...ADMIN, impact: { horizonMonths: 6 } });
      expect(reads()).toBe(2);
    } finally {
      other.close();
    }
  });

  it("are kept per horizon and per reader", async () => {
    const six = { ...ADMIN, impact: { horizonMonths: 6 } };
    const hr: ReportOptions = { ...ADMIN, audience: "hr" };
    const twelve = (await getProgramReport(db, PROGRAM, ADMIN))!.impact!;
    const sixMonths = (await getProgramReport(db, PROGRAM, six))!.impact!;
    expect(sixMonths.horizon_months).toBe(6);
    expect(sixMonths.retention!.curves.length).toBe(7);
    expect(sixMonths).toEqual(await fresh(six));
    const forHr = (await getProgramReport(db, PROGRAM, hr))!.impact!;
    expect(forHr).toEqual(await fresh(hr));
    expect(forHr.retention!.by_organization.length).not.toBe(twelve.retention!.by_organization.length);
    expect((await getProgramReport(db, PROGRAM, ADMIN))!.impact).toEqual(twelve);
  });

  it("follow the program's cost per departure when the operator sets it", async () => {
    const before = (await getProgramReport(db, PROGRAM, ADMIN))!.impact!;
    expect(before.money_status).toBe("no_cost_per_departure");
    await setCostPerDeparture(db, PROGRAM, 20_000);
    const after = (await getProgramReport(db, PROGRAM, ADMIN))!.impact!;
    expect(after.money?.cost_per_departure).toBe(20_000);
    expect(after.retention).toEqual(before.retention);
    await setCostPerDeparture(db, PROGRAM, null);
    expect((await getProgramReport(db, PROGRAM, ADMIN))!.impact!.money).toBeNull();
  });

  it("follow new data: a change of the workforce gives the figures computed afresh", async () => {
    const before = (await getProgramReport(db, PROGRAM, ADMIN))!.impact!;
    // Every comparison person who left voluntarily stays: the comparison's retention rises.
    await db.run("update workforce set left_at = null, leave_reason = null where program_id = $p and leave_reason = 'voluntary' and person_id not in (select participant_id from participants where program_id = $p)", { p: PROGRAM });
    // Kept, like the marts, until the data version changes or the writer says so.
    expect((await getProgramReport(db, PROGRAM, ADMIN))!.impact).toEqual(before);
    invalidateMetricMarts(db, PROGRAM);
    const after = (await getProgramReport(db, PROGRAM, ADMIN))!.impact!;
    expect(after.retention!.comparison.rate).toBe(1);
    expect(after.retention!.effect).toBeLessThan(before.retention!.effect!);
    expect(after).toEqual(await fresh(ADMIN));
  });
});
