// Small-cell suppression, on the P1 fixture (see report.test.ts for the unsuppressed figures)
// and on the pure rule function.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../analytics/db/database.server.ts";
import { formatCsv, formatJson, formatMarkdown } from "../../analytics/report/format.ts";
import { getProgramReport, type ProgramReport } from "../../analytics/report/report.server.ts";
import { ROW_FIGURES, suppressBreakdown, type GroupFigures } from "../../analytics/metrics/suppression.ts";
import { openFixtureDb } from "./helpers.ts";

let db: Db;
let admin: ProgramReport;
let hr: ProgramReport;
beforeAll(async () => {
  db = await openFixtureDb();
  admin = (await getProgramReport(db, "P1", { asOf: "2025-05-15" }))!;
  hr = (await getProgramReport(db, "P1", { asOf: "2025-05-15", audience: "hr", orgId: "ORG-A" }))!;
});
afterAll(() => db.close());

const ALL = [...ROW_FIGURES];
const hidden = (group: string, label: string) => ({
  group,
  label,
  participants: null,
  pairs: null,
  midpoint_satisfaction_mean: null,
  completion_rate: null,
  suppressed: true,
  suppressed_fields: ALL,
});
const shown = (
  group: string,
  label: string,
  participants: number,
  pairs: number,
  midpoint_satisfaction_mean: unknown,
  completion_rate: unknown,
  suppressed_fields: string[],
) => ({ group, label, participants, pairs, midpoint_satisfaction_mean, completion_rate, suppressed: false, suppressed_fields });
const BOTH = ["midpoint_satisfaction_mean", "completion_rate"];

describe("audience hr, k = 5 (the default)", () => {
  it("states its audience and k", () => {
    expect([hr.audience, hr.org_id, hr.k]).toEqual(["hr", "ORG-A", 5]);
  });

  it("by organization: its own organization and the others as one group (docs/privacy.md)", () => {
    // ORG-A stays: 7 people, 4 pairs; its mean rests on 4 answerers (< 5) and its completion
    // rate on 2 mentees (< 5): both hidden and listed. ORG-B and ORG-C are never named.
    expect(hr.breakdowns.by_organization).toEqual([
      shown("ORG-A", "Alpha SA", 7, 4, null, null, BOTH),
      shown("others", "Other organizations", 9, 5, null, null, BOTH),
    ]);
  });

  it("hr or rse without an organization sees every organization as 'others'", async () => {
    const none = (await getProgramReport(db, "P1", { asOf: "2025-05-15", audience: "rse" }))!;
    expect(none.breakdowns.by_organization.map((r) => [r.group, r.participants, r.pairs])).toEqual([["others", 16, admin.pairs.total]]);
  });

  it("by gender: X (2) and unknown (1) hold 3 < 5 people together, so M (6) is hidden too", () => {
    // F is shown; its mean rests on exactly 3 answers (E1 5, E5 4, E6 3) → hidden; its
    // completion rate on 3 mentees → hidden.
    expect(hr.breakdowns.by_gender).toEqual([
      shown("F", "F", 7, 6, null, null, BOTH),
      hidden("M", "M"),
      hidden("X", "X"),
      hidden("unknown", "Not stated"),
    ]);
  });

  it("by generation: boomers (2) and gen_z (4) hidden (together 6 ≥ 5: no more); participants_by_generation follows", () => {
    expect(hr.breakdowns.by_generation).toEqual([
      hidden("boomers", "Boomers"),
      shown("gen_x", "Gen X", 5, 6, null, null, BOTH), // 1 answerer, 1 mentee with topics
      hidden("gen_z", "Gen Z"),
      shown("millennials", "Millennials", 5, 5, null, null, BOTH), // 4 answerers, 4 mentees
    ]);
    expect(hr.generations.participants_by_generation).toEqual({ boomers: null, gen_x: 5, millennials: 5, gen_z: null });
  });

  it("by role and cohort: a rate from enough people stays; a mean of nobody is null but not 'suppressed'", () => {
    expect(hr.breakdowns.by_role).toEqual([
      // mentees: 4 answerers → mean hidden; 6 mentees with topics → 6/11 shown.
      shown("mentee", "Mentees", 10, 8, null, expect.closeTo(6 / 11, 12), ["midpoint_satisfaction_mean"]),
      // mentors: 3 answerers → hidden; no topics as mentee → null, not listed.
      shown("mentor", "Mentors", 6, 8, null, null, ["midpoint_satisfaction_mean"]),
    ]);
    // 2025-02 (2), 2025-03 (2), 2025-04 (1), unmatched (3) are hidden: 8 people, no more.
    expect(hr.breakdowns.by_cohort).toEqual([
      shown("2025-01", "Matched in 2025-01", 8, 6, null, null, BOTH),
      hidden("2025-02", "Matched in 2025-02"),
      hidden("2025-03", "Matched in 2025-03"),
      hidden("2025-04", "Matched in 2025-04"),
      hidden("unmatched", "Not matched"),
    ]);
  });

  it("by month: every month has ≥ 5 people; January's rate rests on 4 mentees", () => {
    expect(hr.breakdowns.by_month).toEqual([
      shown("2025-01", "Month 2025-01", 8, 4, null, null, ["completion_rate"]), // E1 E2 E4 E6
      shown("2025-02", "Month 2025-02", 10, 5, null, 0.25, []),
      shown("2025-03", "Month 2025-03", 12, 6, null, 0.5, []),
      shown("2025-04", "Month 2025-04", 13, 7, expect.closeTo(27 / 7, 12), 0.6, []), // 7 answerers
      shown("2025-05", "Month 2025-05", 11, 6, null, expect.closeTo(6 / 9, 12), []),
    ]);
  });

  it("keeps every program-wide figure but a mean that would reveal its histogram's hidden bars", () => {
    const { breakdowns: _a, generations: ga, audience: _b, k: _c, org_id: _g, ...restAdmin } = admin;
    const { breakdowns: _d, generations: gh, audience: _e, k: _f, org_id: _h, ...restHr } = hr;
    // The final answers are 3, 4 and 5: every bar is under 5 and hidden; with the mean (4) and
    // their number (3), the bars could only be 1-1-1 or 0-3-0: two values each, so the mean goes.
    expect(admin.quality.final_satisfaction_mean).toBe(4);
    expect(restHr).toEqual({ ...restAdmin, quality: { ...restAdmin.quality, final_satisfaction_mean: null } });
    expect({ ...gh, participants_by_generation: null }).toEqual({ ...ga, participants_by_generation: null });
  });

  it("lets no hidden value through in JSON, CSV or Markdown", () => {
    // The distinctive hidden values (admin report): ORG-B completion 1/3 (ORG-C's 2/3 is also
    // May's completion rate, shown), M mean
    // 10/3, mentor mean 13/3, millennials mean 3.75, cohort 2025-01 completion 0.375 and mean 3.5,
    // January's completion 1/7.
    const secrets = [1 / 3, 10 / 3, 13 / 3, 3.75, 0.375, 3.5, 1 / 7];
    const numbers = (text: string) => new Set((text.match(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g) ?? []).map(Number));
    const json = formatJson(hr);
    const csv = formatCsv(hr);
    for (const secret of secrets) {
      expect(numbers(json).has(secret), `JSON holds ${secret}`).toBe(false);
      expect(numbers(csv).has(secret), `CSV holds ${secret}`).toBe(false);
    }
    // Structurally: every hidden figure is an empty, flagged CSV value…
    const lines = csv.trim().split("\n").slice(1).map((l) => l.split(","));
    for (const [section, rows] of Object.entries(hr.breakdowns)) {
      for (const r of rows) {
        for (const figure of ROW_FIGURES) {
          const line = lines.find((l) => l[0] === section && l[1] === r.group && l[2] === figure)!;
          expect(line, `${section} ${r.group} ${figure}`).toBeDefined();
          const isHidden = r.suppressed || r.suppressed_fields.includes(figure);
          if (isHidden) expect(line.slice(3)).toEqual(["", "true"]);
          else expect(line[4]).toBe("false");
        }
      }
    }
    expect(lines.filter((l) => l[2].startsWith("participants_by_generation."))).toEqual([
      ["generations", "", "participants_by_generation.boomers", "", "true"],
      ["generations", "", "participants_by_generation.gen_x", "5", "false"],
      ["generations", "", "participants_by_generation.millennials", "5", "false"],
      ["generations", "", "participants_by_generation.gen_z", "", "true"],
    ]);
    // …and a "hidden" Markdown cell (display rounding: 33.3 %, 3.33, 4.33, 37.5 %, 14.3 %).
    const md = formatMarkdown(hr);
    const breakdownsMd = md.slice(md.indexOf("## Breakdowns"));
    for (const rounded of ["33.3 %", "3.33", "4.33", "3.75", "37.5 %", "3.5", "14.3 %"]) {
      expect(breakdownsMd).not.toContain(rounded);
    }
    expect(md).not.toContain("Beta SAS");
    expect(md).not.toContain("Gamma Corp");
    expect(md).toContain("| Alpha SA (ORG-A) | 7 | 4 | hidden | hidden |");
    expect(md).toContain("Boomers hidden · Gen X 5 · Millennials 5 · Gen Z hidden");
  });
});

describe("other audiences and k", () => {
  it("k = 3 (rse): only groups under 3 hide; a mean of exactly 3 answers shows", async () => {
    const rse = (await getProgramReport(db, "P1", { asOf: "2025-05-15", audience: "rse", orgId: "ORG-A", k: 3 }))!;
    expect(rse.k).toBe(3);
    expect(rse.breakdowns.by_organization).toEqual([
      shown("ORG-A", "Alpha SA", 7, 4, 4, null, ["completion_rate"]), // 4 answerers ≥ 3; 2 mentees < 3
      shown("others", "Other organizations", 9, 5, expect.closeTo(11 / 3, 12), 0.5, []),
    ]);
    // by gender: X (2) and unknown (1): two rows, 3 ≥ 3 people together → no more row hidden.
    // M's mean is withheld (docs/privacy.md, rule 3): with the program's, F's and the other
    // breakdowns' means it would give the sum of the hidden X row's answers.
    expect(rse.breakdowns.by_gender).toEqual([
      shown("F", "F", 7, 6, 4, 0.6, []),
      shown("M", "M", 6, 5, null, 0.5, ["midpoint_satisfaction_mean"]),
      hidden("X", "X"),
      hidden("unknown", "Not stated"),
    ]);
    // by generation: boomers (2) alone hidden → the smallest shown, gen_z (4), hides too.
    expect(rse.generations.participants_by_generation).toEqual({ boomers: null, gen_x: 5, millennials: 5, gen_z: null });
  });

  it("sponsor: its organization and one group 'others'", async () => {
    // others = ORG-B + ORG-C: M3 M4 E4 E5 E10 M5 E6 E7 E8 = 9 people; pairs PR3 PR4 PR5 PR6 PR8
    // = 5 (PR8's mentee E7 is in ORG-C); answers M4 4, E5 4, E6 3 → 11/3 from 3 people;
    // topics of PR3 (1, 0) PR4 (1, 1) PR5 (1, 0) PR6 (1, 0) PR8 (2, 2) → 3/6 from 4 mentees.
    const k5 = (await getProgramReport(db, "P1", { asOf: "2025-05-15", audience: "sponsor", orgId: "ORG-A" }))!;
    expect([k5.audience, k5.org_id, k5.k]).toEqual(["sponsor", "ORG-A", 5]);
    expect(k5.breakdowns.by_organization).toEqual([
      shown("ORG-A", "Alpha SA", 7, 4, null, null, BOTH),
      shown("others", "Other organizations", 9, 5, null, null, BOTH),
    ]);
    const k3 = (await getProgramReport(db, "P1", { asOf: "2025-05-15", audience: "sponsor", orgId: "ORG-A", k: 3 }))!;
    expect(k3.breakdowns.by_organization).toEqual([
      shown("ORG-A", "Alpha SA", 7, 4, 4, null, ["completion_rate"]),
      shown("others", "Other organizations", 9, 5, expect.closeTo(11 / 3, 12), 0.5, []),
    ]);
    // Top-level figures stay program-wide.
    expect(k5.participants.total).toBe(16);
    expect(k5.costs.total).toBe(5000);
  });

  it("sponsor of a 4-person organization: its row hides, and so does 'others' (one hidden row alone)", async () => {
    const r = (await getProgramReport(db, "P1", { asOf: "2025-05-15", audience: "sponsor", orgId: "ORG-C" }))!;
    expect(r.breakdowns.by_organization).toEqual([hidden("ORG-C", "=Gamma Corp"), hidden("others", "Other organizations")]);
  });
});

describe("suppressBreakdown (the rule alone)", () => {
  const g = (group: string, participants: number, respondents = participants, mentees = participants): GroupFigures => ({
    group,
    label: null,
    participants,
    pairs: participants,
    midpoint_satisfaction_mean: 4,
    midpoint_respondents: respondents,
    completion_rate: 0.5,
    completion_mentees: mentees,
  });
  const state = (rows: ReturnType<typeof suppressBreakdown>) => rows.map((r) => `${r.group}:${r.suppressed ? "hidden" : r.participants}`);

  it("hides nothing for admin (k null), orders by group", () => {
    expect(state(suppressBreakdown([g("b", 1), g("a", 2)], null))).toEqual(["a:2", "b:1"]);
  });
  it("a single hidden row takes the smallest shown row with it (ties: first by group)", () => {
    expect(state(suppressBreakdown([g("a", 10), g("b", 4), g("c", 6), g("d", 6)], 5))).toEqual(["a:10", "b:hidden", "c:hidden", "d:6"]);
  });
  it("hidden rows holding fewer than k together take more rows until they hold k", () => {
    expect(state(suppressBreakdown([g("a", 1), g("b", 1), g("c", 5), g("d", 7), g("e", 9)], 5))).toEqual([
      "a:hidden", "b:hidden", "c:hidden", "d:7", "e:9",
    ]);
  });
  it("hides every row when needed, and nothing when every row is large enough", () => {
    expect(state(suppressBreakdown([g("a", 2), g("b", 9)], 5))).toEqual(["a:hidden", "b:hidden"]);
    expect(state(suppressBreakdown([g("a", 5), g("b", 9)], 5))).toEqual(["a:5", "b:9"]);
  });
  it("hides a mean or rate of 1 to k − 1 people in a shown row", () => {
    const [row] = suppressBreakdown([g("a", 10, 4, 5)], 5);
    expect([row.midpoint_satisfaction_mean, row.completion_rate, row.suppressed_fields]).toEqual([null, 0.5, ["midpoint_satisfaction_mean"]]);
  });
  it("refuses k below 3", () => {
    expect(() => suppressBreakdown([], 2)).toThrow("invalid k: 2");
  });
});
