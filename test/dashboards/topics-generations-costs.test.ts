// The topic, generation and cost pages' data functions on the demo programs (generated and
// imported into a memory database): figures that the report also gives equal the report's;
// filters change the numbers; rse and sponsor get small-cell suppression; empty programs give
// nulls and empty lists, never 0.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCostsPage } from "../../analytics/dashboards/costs.server.ts";
import { getOverview } from "../../analytics/dashboards/overview.server.ts";
import { getGenerationsPage } from "../../analytics/dashboards/generations.server.ts";
import { getTopicsPage } from "../../analytics/dashboards/topics.server.ts";
import { suppressRows } from "../../analytics/dashboards/page-suppression.ts";
import { applySchema, openDatabase, type Db } from "../../analytics/db/database.server.ts";
import { ingestExport } from "../../analytics/ingest/index.server.ts";
import { getProgramReport } from "../../analytics/report/report.server.ts";
import { generateDemo } from "../../seeds/generate.ts";
import { loadFixture } from "../metrics/helpers.ts";

/** The plot's own `<svg>` in a rendered chart (the last one: a legend's swatches come first), what the SVG download serializes. */
const plotSvg = (html: string) => html.slice(html.lastIndexOf("<svg"));

let db: Db;
let dir: string;
const PROGRAMS = ["octave-demo", "large-demo"] as const;
const SPONSOR_ORG = "BEAUMANOIR";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "binome-d2-"));
  const { folders } = await generateDemo({ outDir: dir, programs: [...PROGRAMS] });
  db = await openDatabase(":memory:");
  await applySchema(db);
  for (const folder of folders) {
    const result = await ingestExport(db, [folder.dir]);
    expect(result.outcome).toBe("imported");
  }
  await loadFixture(db, "pilot"); // P2: no evaluations, no costs, no finished pair
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every number in a value, flattened, for "no hidden value anywhere" checks. */
function visibleRows<T extends { suppressed: boolean }>(rows: T[]): T[] {
  return rows.filter((r) => !r.suppressed);
}

describe.each(PROGRAMS)("%s, admin, unfiltered: figures equal the report's", (programId) => {
  it("topics", async () => {
    const report = (await getProgramReport(db, programId))!;
    const page = (await getTopicsPage(db, programId))!;
    expect(page.summary.topics_targeted).toBe(report.topics.targeted);
    expect(page.summary.topics_acquired).toBe(report.topics.acquired);
    expect(page.summary.completion_rate).toBe(report.topics.completion_rate);
    expect(page.summary.median_days_to_acquire).toBe(report.topics.median_days_to_acquire);
    // Every topic row sums back to the total, and so does every other breakdown.
    for (const rows of [page.by_topic, page.by_category, page.by_cohort, page.by_generation]) {
      expect(rows.reduce((s, r) => s + (r.topics_targeted ?? 0), 0)).toBe(report.topics.targeted);
      expect(rows.reduce((s, r) => s + (r.topics_acquired ?? 0), 0)).toBe(report.topics.acquired);
    }
    expect(page.days_to_acquire.reduce((s, r) => s + (r.topics_acquired ?? 0), 0)).toBe(report.topics.acquired);
  });

  it("generations", async () => {
    const report = (await getProgramReport(db, programId))!;
    const page = (await getGenerationsPage(db, programId))!;
    expect(page.summary.participants).toBe(report.participants.total);
    expect(page.summary.participants_by_generation).toEqual(report.generations.participants_by_generation);
    expect(page.summary.outside_core_share).toBe(report.generations.outside_core_share);
    expect(page.summary.cross_generation_pair_rate).toBe(report.generations.cross_generation_pair_rate);
    expect(page.summary.median_age_gap_years).toBe(report.generations.median_age_gap_years);
    expect(page.summary.pairs).toBe(report.pairs.total);
    expect(page.summary.pairs_reverse).toBe(report.pairs.reverse);
    expect(page.pyramid.reduce((s, r) => s + (r.participants ?? 0), 0)).toBe(report.participants.total);
    expect(page.octaves.reduce((s, r) => s + (r.participants ?? 0), 0)).toBe(report.participants.total);
    expect(page.matrix.reduce((s, r) => s + (r.pairs ?? 0), 0)).toBe(report.pairs.total);
    const cross = page.matrix.filter((r) => r.mentor_generation !== r.mentee_generation).reduce((s, r) => s + (r.pairs ?? 0), 0);
    expect(cross / report.pairs.total).toBeCloseTo(report.generations.cross_generation_pair_rate!, 12);
    expect(page.age_gaps.reduce((s, r) => s + (r.pairs ?? 0), 0)).toBe(report.pairs.total);
    const byOrg = new Map(report.breakdowns.by_organization.map((r) => [r.group, r]));
    for (const row of page.by_organization) {
      expect(row.participants).toBe(byOrg.get(row.group_key)!.participants);
      expect(row.pairs).toBe(byOrg.get(row.group_key)!.pairs);
    }
  });

  it("costs", async () => {
    const report = (await getProgramReport(db, programId))!;
    const page = (await getCostsPage(db, programId))!;
    expect(page.summary.costs_total).toBe(report.costs.total);
    expect(page.summary.cost_per_participant).toBe(report.costs.per_participant);
    expect(page.summary.cost_per_matched_mentee).toBe(report.costs.per_matched_mentee);
    expect(page.summary.cost_per_completed_pair).toBe(report.costs.per_completed_pair);
    expect(page.summary.cost_per_acquired_topic).toBe(report.costs.per_acquired_topic);
    expect(page.summary.market_band_per_mentee).toEqual(report.costs.market_band_per_mentee);
    const sum = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 100) / 100;
    expect(sum(page.by_category.map((r) => r.amount))).toBe(report.costs.total);
    expect(sum(page.by_month.map((r) => r.amount))).toBe(report.costs.total);
    expect(sum(page.by_organization.map((r) => r.amount ?? 0))).toBe(report.costs.total);
  });

  it("cost per matched mentee: one figure in the report, the costs page, the organizations' rows and the overview's last month", async () => {
    const report = (await getProgramReport(db, programId))!;
    const costs = (await getCostsPage(db, programId))!;
    const overview = (await getOverview(db, programId, {}))!;
    const figure = report.costs.per_matched_mentee;
    expect(figure).not.toBeNull();
    expect(costs.summary.cost_per_matched_mentee).toBe(figure);
    // The overview sums the lines month by month (doubles) to the as_of month.
    const last = overview.trends.at(-1)!;
    expect(last.month).toBe(report.as_of.slice(0, 7));
    expect(last.cost_per_matched_mentee).toBeCloseTo(figure!, 6);
    // Each paying organization's ratio follows the same rule: its amount over its matched mentees.
    for (const row of costs.by_organization) {
      if (row.suppressed) continue;
      const expected = row.amount === null || !row.matched_mentees ? null : row.amount / row.matched_mentees;
      if (expected === null) expect(row.cost_per_matched_mentee).toBeNull();
      else expect(row.cost_per_matched_mentee).toBeCloseTo(expected, 6);
    }
  });
});

describe("cost per matched mentee without cost lines", () => {
  it("is null in the report, the costs page and every overview month", async () => {
    const report = (await getProgramReport(db, "P2"))!;
    const costs = (await getCostsPage(db, "P2"))!;
    const overview = (await getOverview(db, "P2", {}))!;
    expect(report.costs.per_matched_mentee).toBeNull();
    expect(costs.summary.cost_per_matched_mentee).toBeNull();
    expect(overview.trends.map((t) => t.cost_per_matched_mentee).filter((v) => v !== null)).toEqual([]);
  });
});

describe("filters change the numbers", () => {
  it("organization and role filter the topics, people and cost lines", async () => {
    const all = (await getTopicsPage(db, "octave-demo"))!;
    const org = (await getTopicsPage(db, "octave-demo", { filters: { org: SPONSOR_ORG, role: "mentee" } }))!;
    expect(org.filtered).toBe(true);
    expect(org.summary.topics_targeted).toBeGreaterThan(0);
    expect(org.summary.topics_targeted).toBeLessThan(all.summary.topics_targeted);

    const generations = (await getGenerationsPage(db, "octave-demo", { filters: { org: SPONSOR_ORG } }))!;
    const report = (await getProgramReport(db, "octave-demo"))!;
    const orgRow = report.breakdowns.by_organization.find((r) => r.group === SPONSOR_ORG)!;
    expect(generations.summary.participants).toBe(orgRow.participants);
    expect(generations.by_organization.map((r) => r.group_key)).toEqual([SPONSOR_ORG]);

    const costs = (await getCostsPage(db, "octave-demo", { filters: { org: SPONSOR_ORG, generation: "gen_z" } }))!;
    expect(costs.summary.participants).toBe(orgRow.participants);
    expect(costs.summary.costs_total).toBeLessThan(report.costs.total!);
    expect(costs.applied_filters).toEqual(["org"]);
    expect(costs.ignored_filters).toEqual(["generation"]);
  });

  it("cohort and dates restrict pairs to their intake", async () => {
    const all = (await getTopicsPage(db, "large-demo"))!;
    const cohort = all.by_cohort[0].group;
    const one = (await getTopicsPage(db, "large-demo", { filters: { cohort } }))!;
    expect(one.by_cohort.map((r) => r.group)).toEqual([cohort]);
    expect(one.summary.topics_targeted).toBe(all.by_cohort[0].topics_targeted);
    const dated = (await getGenerationsPage(db, "large-demo", { filters: { from: "2026-03-01", to: "2026-03-15" } }))!;
    const full = (await getGenerationsPage(db, "large-demo"))!;
    expect(dated.summary.pairs).toBeGreaterThan(0);
    expect(dated.summary.pairs).toBeLessThan(full.summary.pairs);
  });
});

describe("suppression for rse and sponsor", () => {
  it("hides every row of fewer than 5 people and keeps the program-wide figures", async () => {
    for (const audience of ["rse", "sponsor"] as const) {
      const options = { audience, orgId: audience === "sponsor" ? SPONSOR_ORG : null };
      const admin = (await getGenerationsPage(db, "octave-demo"))!;
      const page = (await getGenerationsPage(db, "octave-demo", options))!;
      expect(page.k).toBe(5);
      expect(page.summary.pairs).toBe(admin.summary.pairs);
      expect(page.summary.cross_generation_pair_rate).toBe(admin.summary.cross_generation_pair_rate);
      // The demo has small cells (a few Gen Z mentors, 1-pair matrix cells): some are hidden…
      expect(page.matrix.some((r) => r.suppressed)).toBe(true);
      expect(page.pyramid.some((r) => r.suppressed)).toBe(true);
      for (const r of page.matrix.filter((r) => r.suppressed)) expect(r.pairs).toBeNull();
      // …and no shown cell counts fewer than 5 people.
      for (const r of visibleRows(page.pyramid)) expect(r.participants!).toBeGreaterThanOrEqual(5);
      for (const r of visibleRows(page.octaves)) expect(r.participants!).toBeGreaterThanOrEqual(5);
      for (const r of visibleRows(page.by_organization)) expect(r.participants!).toBeGreaterThanOrEqual(5);
      // A lone hidden row is never left alone (no recovery by subtraction).
      for (const role of ["mentor", "mentee"]) {
        const hidden = page.pyramid.filter((r) => r.role === role && r.suppressed);
        expect(hidden.length === 0 || hidden.length > 1).toBe(true);
      }

      const topics = (await getTopicsPage(db, "octave-demo", options))!;
      for (const r of visibleRows(topics.by_topic)) expect(r.mentees!).toBeGreaterThanOrEqual(5);
    }
  });

  it("gives the sponsor its organization and one group for the others", async () => {
    const page = (await getCostsPage(db, "octave-demo", { audience: "sponsor", orgId: SPONSOR_ORG }))!;
    expect(page.by_organization.map((r) => r.group_key)).toEqual([SPONSOR_ORG, "others"]);
    const admin = (await getCostsPage(db, "octave-demo"))!;
    const own = admin.by_organization.find((r) => r.group_key === SPONSOR_ORG)!;
    expect(page.by_organization[0].amount).toBe(own.amount);
    expect(page.by_organization[0].amount! + page.by_organization[1].amount!).toBeCloseTo(admin.summary.costs_total!, 6);
    const gens = (await getGenerationsPage(db, "octave-demo", { audience: "sponsor", orgId: SPONSOR_ORG }))!;
    expect(gens.by_organization.map((r) => r.group_key)).toEqual([SPONSOR_ORG, "others"]);
  });

  it("suppressRows applies the report's rules (k, complementary hiding, small figures)", () => {
    const rows = [
      { g: "a", n: 2, rate: 0.5, people: 2 },
      { g: "b", n: 30, rate: 0.4, people: 3 },
      { g: "c", n: 6, rate: 0.1, people: 6 },
      { g: "d", n: 40, rate: 0.2, people: 40 },
    ];
    const out = suppressRows(rows, 5, (r) => r.g, { people: (r) => r.n, figures: { rate: (r) => r.people }, keep: ["g"] });
    expect(out.map((r) => [r.g, r.suppressed])).toEqual([["a", true], ["b", false], ["c", true], ["d", false]]);
    expect(out[0]).toEqual({ g: "a", n: null, rate: null, people: null, suppressed: true, suppressed_fields: ["n", "rate", "people"] });
    expect(out[1].rate).toBeNull();
    expect(out[1].suppressed_fields).toEqual(["rate"]);
    expect(out[3].rate).toBe(0.2);
    expect(suppressRows(rows, null, (r) => r.g, { people: (r) => r.n, keep: ["g"] })[0].n).toBe(2);
  });
});

describe("empty states", () => {
  it("a program without costs gives null figures and empty lists", async () => {
    const costs = (await getCostsPage(db, "P2"))!;
    const report = (await getProgramReport(db, "P2"))!;
    expect(costs.summary.costs_total).toBeNull();
    expect(costs.summary.cost_per_participant).toBeNull();
    expect(costs.summary.market_band_per_mentee).toBeNull(); // CHF
    expect(costs.by_category).toEqual([]);
    expect(costs.by_month).toEqual([]);
    expect(costs.summary.costs_total).toBe(report.costs.total);
    const topics = (await getTopicsPage(db, "P2"))!;
    expect(topics.summary.topics_targeted).toBe(report.topics.targeted);
  });

  it("an unknown program gives null", async () => {
    expect(await getTopicsPage(db, "nope")).toBeNull();
    expect(await getGenerationsPage(db, "nope")).toBeNull();
    expect(await getCostsPage(db, "nope")).toBeNull();
  });
});

describe("chart functions on the server", () => {
  it("render every page chart, also when every row is hidden, with <title> tooltips", async () => {
    const { renderChart } = await import("../../app/components/charts/render.server.ts");
    const { topicsCompletionChart } = await import("../../app/components/charts/topics-completion.ts");
    const { topicsDaysChart } = await import("../../app/components/charts/topics-days.ts");
    const { generationsPyramidChart } = await import("../../app/components/charts/generations-pyramid.ts");
    const { generationsMatrixChart } = await import("../../app/components/charts/generations-matrix.ts");
    const { generationsAgeGapsChart } = await import("../../app/components/charts/generations-age-gaps.ts");
    const { costsMarketBandChart } = await import("../../app/components/charts/costs-market-band.ts");
    const { costsByMonthChart } = await import("../../app/components/charts/costs-by-month.ts");
    const { simulationsSuccessChart } = await import("../../app/components/charts/simulations-success.ts");
    for (const hidden of [false, true]) {
      const n = (v: number) => (hidden ? null : v);
      const charts = [
        renderChart(topicsCompletionChart, [{ label: "T1", category: "digital", targeted: n(4), acquired: n(3) }], { width: 600, locale: "fr", acquiredLabel: "a", pendingLabel: "p" }),
        renderChart(topicsDaysChart, [{ category: "digital", band_start_days: 30, topics_acquired: n(5) }], { width: 500, locale: "en", xLabel: "days" }),
        renderChart(generationsPyramidChart, [{ role: "mentor", band_start_years: 30, participants: n(6) }, { role: "mentee", band_start_years: 25, participants: n(7) }], {
          width: 500,
          locale: "en",
          roleLabels: { mentor: "Mentor", mentee: "Mentee" },
          coreLabel: "core",
        }),
        renderChart(generationsMatrixChart, [{ mentor: "Gen X", mentee: "Gen Z", pairs: n(6) }], { width: 500, locale: "en", order: ["Gen X", "Gen Z"], mentorLabel: "Mentor", menteeLabel: "Mentee", hiddenText: "hidden" }),
        renderChart(generationsAgeGapsChart, [{ band_start_years: 10, kind: "cross", pairs: n(5) }], { width: 500, locale: "en", xLabel: "gap" }),
        renderChart(costsMarketBandChart, [{ label: "All", value: n(700) }], { width: 800, locale: "fr", currency: "EUR", band: { low: 600, high: 3600 }, bandLabel: "band" }),
        renderChart(costsByMonthChart, [{ month: "2026-01", category: "training", amount: 100 }, { month: "2026-03", category: "events", amount: 50 }], { width: 500, locale: "fr", currency: "EUR" }),
        renderChart(simulationsSuccessChart, [{ strategy: "optimal", mean: n(0.7), low: n(0.6), high: n(0.8) }], { width: 500, locale: "en" }),
      ];
      for (const chart of charts) {
        expect(plotSvg(chart!.html)).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
        if (!hidden) expect(chart!.html).toContain("<title>");
      }
      // A hidden topic or age band is marked, never drawn as an empty row that reads as zero.
      for (const chart of charts.slice(0, 1).concat(charts.slice(2, 3))) expect(chart!.html.includes("▨"), chart!.html.slice(0, 80)).toBe(hidden);
    }
  });
});
