/**
 * The impact section of the report on the demo data (issue 13): the SQL counts agree with the
 * TypeScript rules on the generated people; on large-demo the 95 % interval covers the
 * generating model's true effect on the participants and the naive difference lies outside
 * it; horizons past the extract, programs without a workforce; scope and suppression for a
 * protected reader (docs/privacy.md); the CLI options.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, openDatabase, wrapConnection, type Db } from "../../analytics/db/database.server.ts";
import { ingestExport } from "../../analytics/ingest/index.server.ts";
import { addMonths, cellKey, completedYears, daysBetween, tenureBand } from "../../analytics/impact/bands.ts";
import { impactRows } from "../../analytics/impact/records.ts";
import { getProgramReport } from "../../analytics/report/report.server.ts";
import { runQuery } from "../../analytics/metrics/queries.server.ts";
import { withProgramMarts } from "../../analytics/metrics/schema.server.ts";
import { generateDemo, DEFAULT_SEED, type GenerateResult } from "../../seeds/generate.ts";
import { makePeople } from "../../seeds/generate-program.ts";
import { LARGE_DEMO } from "../../seeds/programs.ts";
import { createRng, deriveSeed } from "../../seeds/rng.ts";
import { isoDate } from "../../seeds/dates.ts";
import { makeWorkforce } from "../../seeds/workforce.ts";

const root = resolve(import.meta.dirname, "../..");
let dir: string;
let dbPath: string;
let db: Db;
let demo: GenerateResult;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "binome-impact-"));
  dbPath = join(dir, "binome.duckdb");
  demo = await generateDemo({ outDir: join(dir, "demo") });
  const instance = await DuckDBInstance.create(dbPath);
  const connection = await instance.connect();
  const fileDb = wrapConnection(dbPath, connection);
  await applySchema(fileDb);
  for (const folder of demo.folders) expect((await ingestExport(fileDb, [folder.dir])).outcome).toBe("imported");
  connection.closeSync();
  instance.closeSync();
  db = await openDatabase(":memory:");
  await db.run(`attach '${dbPath}' as demo (read_only)`);
  await db.run("use demo");
}, 120_000);
afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the impact counts (sql/impact/records.sql)", () => {
  it("agree with analytics/impact/records.ts on the generated large-demo workforce", async () => {
    const stream = (label: string) => createRng(deriveSeed(DEFAULT_SEED, `large-demo/${label}`));
    const people = makePeople(LARGE_DEMO, stream("people"));
    const workforce = makeWorkforce(LARGE_DEMO, LARGE_DEMO.workforce!, people, stream("workforce"));
    const start = isoDate(LARGE_DEMO.start);
    const horizon = daysBetween(start, addMonths(start, 12));
    const expected = impactRows(
      workforce.map((w) => ({
        participant: w.role !== null,
        role: w.role,
        cell: cellKey(w.covariates),
        leftAt: w.leftAt === null ? null : w.leftAt - LARGE_DEMO.start,
        leaveReason: w.leaveReason,
        promotedAt: w.promotedAt === null ? null : w.promotedAt - LARGE_DEMO.start,
        observedUntil: LARGE_DEMO.workforce!.observedUntil - LARGE_DEMO.start,
      })),
      horizon,
    );
    const rows = await withProgramMarts(db, "large-demo", () =>
      runQuery<{ outcome: string; participant: boolean; role: string | null; cell: string; time: number; event: boolean; n: number }>(db, "impact/records", { program_id: "large-demo", horizon_months: 12 }),
    );
    const key = (r: { participant: boolean; role: string | null; cell: string; time: number; event: boolean; n: number }) => `${r.participant}|${r.role}|${r.cell}|${r.time}|${r.event}|${r.n}`;
    for (const outcome of ["retention", "promotion"] as const) {
      expect(rows.filter((r) => r.outcome === outcome).map(key).sort(), outcome).toEqual(expected[outcome].map(key).sort());
    }
  });

  it("band tenure as the TypeScript rule does (sql/marts/macros/tenure_band.sql)", async () => {
    const pairs = [["2020-03-02", "2025-03-01"], ["2020-03-01", "2025-03-01"], ["2020-02-29", "2025-02-28"], ["2024-12-31", "2025-01-01"], ["2005-06-15", "2025-06-14"], ["2005-06-15", "2025-06-15"]];
    await withProgramMarts(db, "large-demo", async () => {
      for (const [hire, start] of pairs) {
        const [{ band }] = await db.all<{ band: string }>("select tenure_band($hire::date, $start::date) as band", { hire, start });
        expect(band, `${hire} → ${start}`).toBe(tenureBand(completedYears(hire, start)));
      }
    });
  });
});

describe("the impact section on the demo data", () => {
  it("large-demo: the 95 % interval covers the true effect on the participants, the naive difference lies outside it", async () => {
    const truth = demo.summaries.find((s) => s.programId === "large-demo")!.trueImpact!;
    const report = (await getProgramReport(db, "large-demo", { impact: { horizonMonths: 12 } }))!;
    const impact = report.impact!;
    expect(impact.status).toBe("ok");
    expect(impact.horizon_months).toBe(12);
    expect(impact.participants_missing_from_workforce).toBe(0);
    for (const outcome of ["retention", "promotion"] as const) {
      const o = impact[outcome]!;
      expect(o.status).toBe("ok");
      expect(o.participants.n).toBe(2000);
      const [lo, hi] = o.ci95!;
      expect(lo, outcome).toBeLessThan(truth[outcome].all.effect);
      expect(hi, outcome).toBeGreaterThan(truth[outcome].all.effect);
      expect(o.naive_effect!, outcome).toBeGreaterThan(hi);
      // Balance: large before, none left after.
      expect(o.max_abs_smd_before!).toBeGreaterThan(0.2);
      expect(o.max_abs_smd_after!).toBeLessThan(1e-6);
      expect(o.curves).toHaveLength(13);
      expect(o.curves[12].participants).toBeCloseTo(o.participants.rate!, 12);
      for (const role of ["mentee", "mentor"] as const) expect(o.by_role[role].status).toBe("ok");
      expect(o.by_organization.map((r) => r.org_id)).toEqual(["RAVEL-ENERGIE", "RAVEL-LOGISTIQUE", "RAVEL-SERVICES", "RAVEL-SIEGE"]);
    }
    // No cost per departure: no money figure, and the report says why.
    expect(impact.money).toBeNull();
    expect(impact.money_status).toBe("no_cost_per_departure");
  }, 120_000);

  it("says insufficient_data past the extract (12 months) and no_workforce without a workforce; null when not asked", async () => {
    const far = (await getProgramReport(db, "octave-demo", { impact: { horizonMonths: 13 } }))!.impact!;
    expect(far).toMatchObject({ status: "insufficient_data", horizon_months: 13, longest_horizon_months: 12, retention: null });
    expect((await getProgramReport(db, "octave-demo"))!.impact).toBeNull();
  });

  it("shows a sponsor its own organization and one 'other organizations' row, money with a cost per departure", async () => {
    const report = (await getProgramReport(db, "octave-demo", { audience: "sponsor", orgId: "ORVEA", impact: { costPerDeparture: 30_000 } }))!;
    const impact = report.impact!;
    for (const outcome of ["retention", "promotion"] as const) {
      expect(impact[outcome]!.by_organization.map((r) => r.org_id)).toEqual(["ORVEA", "others"]);
      // The balance table too names only the reader's organization and "others".
      const orgRows = impact[outcome]!.balance.filter((b) => b.covariate === "organization");
      expect(orgRows.map((b) => b.level).sort()).toEqual(["ORVEA", "others"]);
      expect(orgRows.reduce((s, b) => s + b.participants_share, 0)).toBeCloseTo(1, 12);
      // The balance table and the curves are program-wide figures over ≥ k people.
      expect(impact[outcome]!.participants.n).toBe(105);
    }
    expect(impact.money).toMatchObject({ cost_per_departure: 30_000 });
    expect(impact.money!.program_cost).toBe(report.costs.total);
    for (const other of ["BEAUMANOIR", "CLAIRVAL", "DUPERRIER", "ENERLOIRE", "VALMY-AERO"]) expect(JSON.stringify(impact)).not.toContain(other);
    const admin = (await getProgramReport(db, "octave-demo", { impact: {} }))!.impact!;
    expect(admin.retention!.by_organization.map((r) => r.org_id)).toEqual(["BEAUMANOIR", "CLAIRVAL", "DUPERRIER", "ENERLOIRE", "ORVEA", "VALMY-AERO"]);
  }, 120_000);
});

describe("npm run report -- --horizon --cost-per-departure", () => {
  const run = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
      execFile(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "cli/report.ts"), "--db", dbPath, ...args], { cwd: root, env: { ...process.env, TZ: "UTC" } }, (error, stdout, stderr) =>
        done({ code: error ? (error.code as number) : 0, stdout, stderr }),
      ),
    );

  it("prints the impact section with money, refuses a bad horizon or amount (exit 2)", async () => {
    // The CLI opens the file itself: let go of it.
    await db.run("use memory");
    await db.run("detach demo");
    const ok = await run("--program", "large-demo", "--horizon", "6", "--cost-per-departure", "25000");
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    const impact = JSON.parse(ok.stdout).impact;
    expect(impact).toMatchObject({ status: "ok", horizon_months: 6, money_status: "ok", money: { cost_per_departure: 25000 } });
    expect(Object.keys(impact.retention)).toEqual(expect.arrayContaining(["participants", "comparison", "naive_comparison_rate", "effect", "ci95", "method", "by_role", "by_organization"]));
    const md = await run("--program", "large-demo", "--format", "md");
    expect(md.stdout).toContain("## Impact");
    expect(md.stdout).toContain("no cost per departure was given");
    for (const bad of [["--horizon", "twelve"], ["--horizon", "0"], ["--cost-per-departure", "-5"]]) {
      const r = await run("--program", "large-demo", ...bad);
      expect(r.code, bad.join(" ")).toBe(2);
    }
  }, 120_000);
});
