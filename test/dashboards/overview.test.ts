// The overview follows the filters and shows a protected reader its organization beside the
// others and the program (issue 14, items 1 and 2), on octave-demo: unfiltered, the tiles are
// the report's; filtered, each tile is the figure the quality, topics, generations and costs
// pages publish for the same filters (so the overview publishes nothing new, docs/privacy.md);
// the organization comparison is the report's and the costs page's rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCostsPage } from "../../analytics/dashboards/costs.server.ts";
import { NO_FILTERS } from "../../analytics/domain/filters.ts";
import { getGenerationsPage } from "../../analytics/dashboards/generations.server.ts";
import { getOverview, headlineOfReport } from "../../analytics/dashboards/overview.server.ts";
import { getQuality } from "../../analytics/dashboards/quality.server.ts";
import { getTopicsPage } from "../../analytics/dashboards/topics.server.ts";
import type { Db } from "../../analytics/db/database.server.ts";
import { getProgramReport } from "../../analytics/report/report.server.ts";
import { openDemoDatabase, type DemoDatabase } from "../support/demo-database.ts";

let db: Db;
let demo: DemoDatabase;
const PROGRAM = "octave-demo";
const ORG = "BEAUMANOIR";

beforeAll(async () => {
  demo = await openDemoDatabase([PROGRAM], "binome-overview-");
  db = demo.db;
});
afterAll(() => demo?.close());

describe("the overview's tiles", () => {
  it("unfiltered: the report's figures", async () => {
    const report = (await getProgramReport(db, PROGRAM))!;
    const overview = (await getOverview(db, PROGRAM, {}))!;
    expect(overview.filtered).toBe(false);
    expect(overview.headline).toEqual(headlineOfReport(report));
    expect(overview.organization).toBeNull();
  });

  it("filtered by organization: they change, and each equals the page that publishes it for the same filters", async () => {
    const filters = { ...NO_FILTERS, org: ORG };
    const all = (await getOverview(db, PROGRAM, {}))!;
    const overview = (await getOverview(db, PROGRAM, { filters }))!;
    expect(overview.filtered).toBe(true);
    const h = overview.headline;
    for (const key of ["participants", "pairs", "topics_targeted", "cost_per_matched_mentee"] as const) expect(h[key], key).not.toBe(all.headline[key]);
    const quality = (await getQuality(db, PROGRAM, { k: null, filters, individualsOrg: null }))!.summary;
    const topics = (await getTopicsPage(db, PROGRAM, { filters }))!.summary;
    const generations = (await getGenerationsPage(db, PROGRAM, { filters }))!.summary;
    const costs = (await getCostsPage(db, PROGRAM, { filters }))!.summary;
    expect(h).toMatchObject({
      participants: generations.participants,
      pairs: quality.pairs,
      active_pairs: quality.active_pairs,
      completed_pairs: quality.completed_pairs,
      ended_early_pairs: quality.ended_early_pairs,
      midpoint_satisfaction_mean: quality.midpoint_satisfaction_mean,
      topics_targeted: topics.topics_targeted,
      topic_completion_rate: topics.completion_rate,
      cross_generation_pair_rate: generations.cross_generation_pair_rate,
      cost_per_matched_mentee: costs.cost_per_matched_mentee,
      // Program-wide only: not given for a filtered view.
      mentors: null,
      match_rate: null,
    });
  });

  it("a role filter leaves the cost per matched mentee on the organization filter only (cost lines are not attributed to people)", async () => {
    const byOrg = (await getOverview(db, PROGRAM, { filters: { ...NO_FILTERS, org: ORG } }))!;
    const byOrgAndRole = (await getOverview(db, PROGRAM, { filters: { ...NO_FILTERS, org: ORG, role: "mentee" } }))!;
    expect(byOrgAndRole.headline.pairs).not.toBe(null);
    expect(byOrgAndRole.headline.cost_per_matched_mentee).toBe(byOrg.headline.cost_per_matched_mentee);
    expect(byOrgAndRole.headline.participants).toBeLessThan(byOrg.headline.participants!);
  });
});

describe("my organization beside the others", () => {
  it("a sponsor sees its own headline figures, the other organizations' and the program's, as the report and the costs page give them", async () => {
    const options = { audience: "sponsor" as const, orgId: ORG, k: 5 };
    const overview = (await getOverview(db, PROGRAM, options))!;
    const report = (await getProgramReport(db, PROGRAM, options))!;
    const costs = (await getCostsPage(db, PROGRAM, options))!;
    const c = overview.organization!;
    expect(c).not.toBeNull();
    const own = report.breakdowns.by_organization.find((r) => r.group === ORG)!;
    expect(c.own).toMatchObject({ group: ORG, participants: own.participants, pairs: own.pairs, topic_completion_rate: own.completion_rate });
    expect(c.own.cost_per_matched_mentee).toBe(costs.by_organization.find((r) => r.group_key === ORG)!.cost_per_matched_mentee);
    expect(c.own.cost_per_matched_mentee).not.toBeNull();
    expect(c.own.cost_per_matched_mentee).not.toBe(c.program.cost_per_matched_mentee);
    expect(c.others).toMatchObject({ group: "others", participants: report.breakdowns.by_organization.find((r) => r.group === "others")!.participants });
    expect(c.program).toMatchObject({ participants: report.participants.total, cost_per_matched_mentee: report.costs.per_matched_mentee });
    // Another company is never named to it.
    expect(JSON.stringify(c)).not.toMatch(/DUPERRIER|CLAIRVAL|ENERLOIRE|ORVEA|VALMY/);
  });

  it("is not given to the operator (who sees every organization by name)", async () => {
    expect((await getOverview(db, PROGRAM, { audience: "admin" }))!.organization).toBeNull();
  });
});
