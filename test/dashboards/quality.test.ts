import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearPageCache } from "../../analytics/metrics/cache.server.ts";
import { getGenerationsPage } from "../../analytics/dashboards/generations.server.ts";
import { getOverview } from "../../analytics/dashboards/overview.server.ts";
import { getPairsArrow } from "../../analytics/dashboards/pairs-arrow.server.ts";
import { getQuality } from "../../analytics/dashboards/quality.server.ts";
import { NO_FILTERS } from "../../analytics/domain/filters.ts";
import type { Db } from "../../analytics/db/database.server.ts";
import { getProgramReport } from "../../analytics/report/report.server.ts";
import { tableFromArrays, tableFromIPC, tableToIPC } from "apache-arrow";
import { loadSql } from "../../analytics/db/sql-files.server.ts";
import { filterParams } from "../../analytics/domain/filters.ts";
import { withProgramMarts } from "../../analytics/metrics/schema.server.ts";
import { openFixtureDb } from "../metrics/helpers.ts";
import type { IndividualsScope } from "../../analytics/auth/scope.server.ts";

const ALL: IndividualsScope = { kind: "all" };

// The overview and pair-quality data on the hand-made metrics fixtures (P1: octave, P2: pilot,
// a program without evaluations or costs): unfiltered figures equal the report's; filters and
// suppression; individuals only for the allowed scope.
describe("dashboard data: overview and pair quality", () => {
  let db: Db;
  beforeAll(async () => {
    db = await openFixtureDb();
  });
  afterAll(() => db?.close());

  for (const programId of ["P1", "P2"]) {
    it(`${programId}: unfiltered quality figures and the last trend month equal the report's`, async () => {
      clearPageCache();
      const report = (await getProgramReport(db, programId))!;
      const quality = (await getQuality(db, programId, { k: null, individualsOrg: ALL }))!;
      const s = quality.summary;
      expect(s.midpoint_satisfaction_mean).toBe(report.quality.midpoint_satisfaction_mean);
      expect(s.final_satisfaction_mean).toBe(report.quality.final_satisfaction_mean);
      expect(s.midpoint_response_rate).toBe(report.quality.midpoint_response_rate);
      expect(s.midpoint_flagged_pairs).toBe(report.quality.midpoint_flagged_pairs);
      expect(s.at_risk_pairs).toBe(report.quality.at_risk_pairs);
      expect(s.meeting_regularity).toBeCloseTo(report.quality.meeting_regularity ?? Number.NaN, 12);
      expect(s.early_termination_rate).toBe(report.quality.early_termination_rate);
      expect(s.pairs).toBe(report.pairs.total);
      expect(quality.atRisk!.length).toBe(Math.min(100, report.quality.at_risk_pairs));

      const overview = (await getOverview(db, programId, {}))!;
      expect(overview.report).toEqual(report);
      const last = overview.trends.at(-1)!;
      expect(last.pairs).toBe(report.pairs.total);
      expect(last.topic_completion_rate).toBe(report.topics.completion_rate);
      expect(last.cross_generation_pair_rate).toBe(report.generations.cross_generation_pair_rate);
    });
  }

  it("a program without evaluations has null means and an empty satisfaction distribution", async () => {
    const quality = (await getQuality(db, "P2", { k: 5, individualsOrg: null }))!;
    expect(quality.summary.midpoint_satisfaction_mean).toBeNull();
    expect(quality.satisfaction.every((r) => r.answers === 0 || r.answers === null)).toBe(true);
    expect(quality.atRisk).toBeNull();
  });

  it("every page filters the same pairs: organization and generation name the same member", async () => {
    // One definition of the filtered pairs (sql/marts/filtered_pairs.sql): with both filters and
    // no role, a pair passes when one of its members is of that organization AND generation.
    const orgs = (await db.all<{ org_id: string }>("select distinct org_id from participants where program_id = 'P1' order by 1")).map((r) => r.org_id);
    let compared = 0;
    for (const org of orgs) {
      for (const generation of ["boomers", "gen_x", "millennials", "gen_z"] as const) {
        for (const role of [null, "mentor", "mentee"] as const) {
          const filters = { ...NO_FILTERS, org, generation, role };
          const quality = (await getQuality(db, "P1", { k: null, individualsOrg: ALL, filters }))!;
          const generations = (await getGenerationsPage(db, "P1", { k: null, filters }))!;
          expect(quality.summary.pairs, `${org} ${generation} ${role}`).toBe(generations.summary.pairs);
          compared += quality.summary.pairs ?? 0;
        }
      }
    }
    expect(compared).toBeGreaterThan(0);
  });

  it("filters narrow the pairs; an empty selection gives nulls, never 0 for a rate", async () => {
    const all = (await getQuality(db, "P1", { k: null, individualsOrg: ALL }))!;
    const none = (await getQuality(db, "P1", { k: null, individualsOrg: ALL, filters: { ...NO_FILTERS, cohort: "1999-01" } }))!;
    expect(none.summary.pairs).toBe(0);
    expect(none.summary.meeting_regularity).toBeNull();
    expect(none.summary.early_termination_rate).toBeNull();
    expect(all.summary.pairs).toBeGreaterThan(0);
  });

  it("non-admin audiences: small groups are hidden with the report's rules", async () => {
    const shown = (await getQuality(db, "P1", { k: null, individualsOrg: null }))!;
    const hidden = (await getQuality(db, "P1", { k: 50, individualsOrg: null }))!;
    // k larger than the program: the whole selection is hidden.
    if ((shown.summary.participants ?? 0) < 50) {
      expect(hidden.summary.suppressed).toBe(true);
      expect(hidden.summary.midpoint_satisfaction_mean).toBeNull();
    }
    for (const row of hidden.terminations) expect(row.suppressed ? row.pairs : 0).toBe(row.suppressed ? null : 0);
    expect(JSON.stringify(hidden.terminations)).not.toMatch(/"pairs":[1-9]/);
  });

  it("the Arrow detail holds one row per visible pair; another organization's people have no id", async () => {
    const all = (await getPairsArrow(db, "P1", ALL))!;
    const report = (await getProgramReport(db, "P1"))!;
    expect(all.rows).toBe(report.pairs.total);
    const table = tableFromIPC(all.ipc);
    expect(table.numRows).toBe(report.pairs.total);
    const org = String(table.get(0)!.toJSON().mentor_org_id);
    const scoped = tableFromIPC((await getPairsArrow(db, "P1", { kind: "org", orgId: org }))!.ipc).toArray().map((r) => r.toJSON());
    expect(scoped.length).toBeGreaterThan(0);
    for (const row of scoped) {
      expect(row.mentor_org_id === org || row.mentee_org_id === org).toBe(true);
      if (row.mentor_org_id !== org) expect(row.mentor_id).toBeNull();
      if (row.mentee_org_id !== org) expect(row.mentee_id).toBeNull();
    }
  });

  it("the Arrow detail has the columns, types and values tableFromArrays gives the query's columns", async () => {
    for (const filters of [NO_FILTERS, { ...NO_FILTERS, cohort: "1999-01" }]) {
      const fast = tableFromIPC((await getPairsArrow(db, "P1", ALL, filters))!.ipc);
      // The encoding the export used before its columns were written directly.
      const reference = await withProgramMarts(db, "P1", async () => {
        const [program] = await db.all<{ as_of: string }>(loadSql("queries/report_program"), { program_id: "P1", as_of: null });
        const { columns } = await db.columns(loadSql("dashboards/pairs_detail"), { program_id: "P1", as_of: program.as_of, individuals_all: true, individuals_org: null, ...filterParams(filters) });
        const arrays: Record<string, unknown> = {};
        for (const [name, values] of Object.entries(columns)) {
          arrays[name] = values.every((v) => typeof v === "number") ? (name.startsWith("count_") || name.endsWith("_years") ? Int32Array.from(values as number[]) : Float64Array.from(values as number[])) : values;
        }
        return tableFromIPC(tableToIPC(tableFromArrays(arrays as Parameters<typeof tableFromArrays>[0]), "stream"));
      });
      const schema = (t: typeof fast) => t.schema.fields.map((f) => `${f.name}: ${String(f.type)} ${f.nullable}`);
      expect(schema(fast)).toEqual(schema(reference));
      expect(fast.toArray().map((r) => r.toJSON())).toEqual(reference.toArray().map((r) => r.toJSON()));
    }
  });
});
