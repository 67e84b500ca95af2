// Pins every figure of the report on the hand-made exports in test/fixtures/metrics/:
//   octave/ — program P1 (inter, EUR, 2025-01-01 → 2025-06-30), 16 participants, 8 pairs;
//   pilot/  — program P2 (intra, CHF, 2025-03-01 → 2025-12-31) with the SAME participant,
//             pair, topic and meeting ids, no evaluations, no costs, no finished pair.
// Every expected value is worked out by hand below from the CSV files.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../analytics/db/database.server.ts";
import { getProgramReport, type ProgramReport } from "../../analytics/report/report.server.ts";
import { openFixtureDb } from "./helpers.ts";

let db: Db;
beforeAll(async () => {
  db = await openFixtureDb();
});
afterAll(() => db.close());

const close = (value: number) => expect.closeTo(value, 12);

/*
 * P1 participants (age at start = 2025 − birth year; core = 30–50 inclusive):
 *   id  org    role    born gender generation   age outside
 *   M1  ORG-A  mentor  1960 M      boomers      65  yes
 *   M2  ORG-A  mentor  1970 F      gen_x        55  yes
 *   M3  ORG-B  mentor  1975 F      gen_x        50  no   (50 is in the core)
 *   M4  ORG-B  mentor  1985 M      millennials  40  no
 *   M5  ORG-C  mentor  1964 X      boomers      61  yes  (1964: last boomer year)
 *   M6  ORG-A  mentor  1980 —      gen_x        45  no   (no gender → unknown)
 *   E1  ORG-A  mentee  1995 F      millennials  30  no   (30 is in the core)
 *   E2  ORG-A  mentee  1996 M      millennials  29  yes
 *   E3  ORG-A  mentee  1997 F      gen_z        28  yes  (unmatched)
 *   E4  ORG-B  mentee  1965 M      gen_x        60  yes  (two pairs: PR3 then PR5)
 *   E5  ORG-B  mentee  1990 F      millennials  35  no
 *   E6  ORG-C  mentee  2000 F      gen_z        25  yes
 *   E7  ORG-C  mentee  1981 M      millennials  44  no
 *   E8  ORG-C  mentee  1999 X      gen_z        26  yes  (unmatched)
 *   E9  ORG-A  mentee  1980 F      gen_x        45  no
 *   E10 ORG-B  mentee  2005 M      gen_z        20  yes  (unmatched)
 * → total 16, mentors 6, mentees 10, matched mentees E1 E2 E4 E5 E6 E7 E9 = 7, orgs 3.
 * → by generation: boomers 2, gen_x 5, millennials 5, gen_z 4; outside core 9 → 9/16.
 *
 * P1 pairs (as_of 2025-05-15; midpoint = 2025-01-01 + ⌊180 / 2⌋ days = 2025-04-01;
 * recent-meeting window (2025-03-31, 2025-05-15]):
 *   pair mentor–mentee matched    ended      status       gap  gens       months offline-months
 *   PR1  M1–E1        2025-01-10 —          active (rev) 35   B→M cross  Jan–May 5  Jan Feb Mar May = 4 → 0.8
 *   PR2  M2–E2        2025-01-10 2025-05-12 completed    26   X→M cross  Jan–May 5  Jan Feb Apr = 3    → 0.6
 *   PR3  M3–E4        2025-01-15 2025-01-28 ended_early  10   X→X        Jan 1      Jan = 1            → 1
 *   PR4  M3–E5        2025-02-01 —          active       15   X→M cross  Feb–May 4  Feb = 1            → 0.25
 *   PR5  M4–E4        2025-02-01 —          active       20   M→X cross  Feb–May 4  Mar = 1            → 0.25
 *   PR6  M5–E6        2025-01-20 2025-04-10 ended_early  36   B→Z cross  Jan–Apr 4  Jan Mar = 2        → 0.5
 *   PR7  M6–E9        2025-04-20 —          active        0   X→X        Apr–May 2  Apr May = 2        → 1
 *   PR8  M6–E7        2025-03-01 2025-05-10 completed(rev) 1  X→M cross  Mar–May 3  Mar Apr = 2        → 2/3
 *   (PR3 ends in the month it starts: matched and ended in January, 1 month.)
 * → pairs 8; active 4; completed 2; ended early 2; reverse 2 (PR1, PR8); match rate 7/10.
 * → meeting regularity = (0.8 + 0.6 + 1 + 0.25 + 0.25 + 0.5 + 1 + 2/3) / 8 = (15.2/3) / 8 = 19/30.
 * → early termination = 2 / (2 + 2) = 0.5.
 * → cross-generation 6/8 = 0.75; gaps 0 1 10 15 20 26 35 36 → median (15 + 20) / 2 = 17.5.
 *
 * Midpoint evaluations: PR1 mentor 4, PR1 mentee 5, PR2 mentee 2 (sat ≤ 2: flagged),
 *   PR4 mentee 4, PR5 mentor 4 (chemistry 2: flagged), PR6 mentee 3 (would_continue no:
 *   flagged), PR8 mentor 5 → mean 27/7; flagged pairs PR2 PR5 PR6 = 3.
 * Final evaluations: 4, 3, 5 → mean 4.
 * Response rate: pairs not ended before 2025-04-01 = all but PR3 = 7; with a midpoint answer:
 *   PR1 PR2 PR4 PR5 PR6 PR8 = 6 → 6/7.
 * At risk (active pairs only: PR1 PR4 PR5 PR7):
 *   PR1 answered, not flagged, last meeting 2025-05-15 (= as_of, inside the window) → no;
 *   PR4 answered, not flagged, last meeting 2025-03-31 (window excludes it), matched
 *       2025-02-01 ≤ 2025-03-31 → at risk (no recent meeting);
 *   PR5 flagged → at risk;  PR7 no midpoint answer although as_of ≥ midpoint → at risk.
 *   → 3.
 * Topics (days = acquired_at − matched_at): PR1 T1 30, T2 50, T4 —; PR2 T1 10, T3 —;
 *   PR3 T2 —; PR4 T3 33; PR5 T4 —; PR6 T1 —; PR8 T2 20, T4 60
 *   → targeted 11, acquired 6, completion 6/11; days 10 20 30 33 50 60 → median 31.5.
 * Costs: 3000.00 + 1234.50 + 765.50 = 5000 EUR → per participant 5000/16 = 312.5;
 *   per matched mentee 5000/7; per completed pair 5000/2 = 2500; per acquired topic 5000/6.
 */
const P1_ADMIN: ProgramReport = {
  schema_version: 1,
  program: {
    program_id: "P1",
    name: "Octave test",
    kind: "inter",
    start_date: "2025-01-01",
    end_date: "2025-06-30",
    currency: "EUR",
  },
  audience: "admin",
  org_id: null,
  k: null,
  as_of: "2025-05-15",
  participants: { total: 16, mentors: 6, mentees: 10, matched_mentees: 7, organizations: 3 },
  pairs: { total: 8, active: 4, completed: 2, ended_early: 2, reverse: 2, match_rate: 0.7 },
  quality: {
    midpoint_satisfaction_mean: close(27 / 7),
    final_satisfaction_mean: 4,
    midpoint_response_rate: close(6 / 7),
    midpoint_flagged_pairs: 3,
    at_risk_pairs: 3,
    meeting_regularity: close(19 / 30),
    early_termination_rate: 0.5,
  },
  topics: { targeted: 11, acquired: 6, completion_rate: close(6 / 11), median_days_to_acquire: 31.5 },
  generations: {
    participants_by_generation: { boomers: 2, gen_x: 5, millennials: 5, gen_z: 4 },
    cross_generation_pair_rate: 0.75,
    median_age_gap_years: 17.5,
    outside_core_share: 0.5625,
  },
  costs: {
    total: 5000,
    per_participant: 312.5,
    per_matched_mentee: close(5000 / 7),
    per_completed_pair: 2500,
    per_acquired_topic: close(5000 / 6),
    market_band_per_mentee: { low: 600, high: 3600 },
  },
  breakdowns: {
    /*
     * by organization (pairs = distinct pairs with a member in the group; mean = midpoint
     * answers given by members; completion = topics of pairs whose mentee is in the group):
     *   ORG-A M1 M2 M6 E1 E2 E3 E9 = 7; pairs PR1 PR2 PR7 PR8 = 4; answers M1 4, E1 5, E2 2,
     *         M6 5 → 16/4 = 4; topics of PR1 (3, 2 acquired) PR2 (2, 1) PR7 (0) → 3/5 = 0.6.
     *   ORG-B M3 M4 E4 E5 E10 = 5; pairs PR3 PR4 PR5 = 3; answers M4 4, E5 4 → 4;
     *         topics of PR3 (1, 0) PR4 (1, 1) PR5 (1, 0) → 1/3.
     *   ORG-C M5 E6 E7 E8 = 4; pairs PR6 PR8 = 2; answers E6 3 → 3; PR6 (1, 0) PR8 (2, 2) → 2/3.
     */
    by_organization: [
      row("ORG-A", "Alpha SA", 7, 4, 4, 0.6),
      row("ORG-B", "Beta SAS", 5, 3, 4, close(1 / 3)),
      row("ORG-C", "=Gamma Corp", 4, 2, 3, close(2 / 3)),
    ],
    /*
     *   boomers M1 M5 = 2; pairs PR1 PR6; answers M1 4; no mentee → completion null.
     *   gen_x M2 M3 M6 E4 E9 = 5; pairs PR2 PR3 PR4 PR5 PR7 PR8 = 6; answers M6 5;
     *         mentee pairs PR3 (1, 0) PR5 (1, 0) PR7 (0) → 0/2 = 0.
     *   gen_z E3 E6 E8 E10 = 4; pairs PR6; answers E6 3; PR6 (1, 0) → 0.
     *   millennials M4 E1 E2 E5 E7 = 5; pairs PR5 PR1 PR2 PR4 PR8 = 5; answers M4 4, E1 5,
     *         E2 2, E5 4 → 15/4 = 3.75; PR1 (3, 2) PR2 (2, 1) PR4 (1, 1) PR8 (2, 2) → 6/8.
     */
    by_generation: [
      row("boomers", "Boomers", 2, 2, 4, null),
      row("gen_x", "Gen X", 5, 6, 5, 0),
      row("gen_z", "Gen Z", 4, 1, 3, 0),
      row("millennials", "Millennials", 5, 5, 3.75, 0.75),
    ],
    /*
     *   F M2 M3 E1 E3 E5 E6 E9 = 7; pairs PR2 PR3 PR4 PR1 PR6 PR7 = 6; answers E1 5, E5 4,
     *         E6 3 → 4; mentee pairs PR1 (3, 2) PR4 (1, 1) PR6 (1, 0) PR7 (0) → 3/5 = 0.6.
     *   M M1 M4 E2 E4 E7 E10 = 6; pairs PR1 PR5 PR2 PR3 PR8 = 5; answers M1 4, M4 4, E2 2
     *         → 10/3; PR2 (2, 1) PR3 (1, 0) PR5 (1, 0) PR8 (2, 2) → 3/6 = 0.5.
     *   X M5 E8 = 2; pairs PR6 = 1; no answer, no mentee topics → null, null.
     *   unknown M6 = 1; pairs PR7 PR8 = 2; answer 5; mentor only → null.
     */
    by_gender: [
      row("F", "F", 7, 6, 4, 0.6),
      row("M", "M", 6, 5, close(10 / 3), 0.5),
      row("X", "X", 2, 1, null, null),
      row("unknown", "Not stated", 1, 2, 5, null),
    ],
    /*
     *   mentee: 10 people, 8 pairs; answers E1 5, E2 2, E5 4, E6 3 → 3.5; topics 6/11.
     *   mentor: 6 people, 8 pairs; answers M1 4, M4 4, M6 5 → 13/3; no topics as mentee.
     */
    by_role: [row("mentee", "Mentees", 10, 8, 3.5, close(6 / 11)), row("mentor", "Mentors", 6, 8, close(13 / 3), null)],
    /*
     * cohort = month of the person's first matched_at:
     *   2025-01 M1 M2 M3 M5 E1 E2 E4 E6 = 8; pairs PR1 PR2 PR3 PR4 PR5 PR6 = 6; answers M1 4,
     *           E1 5, E2 2, E6 3 → 3.5; mentee pairs PR1 (3, 2) PR2 (2, 1) PR3 (1, 0)
     *           PR5 (1, 0) PR6 (1, 0) → 3/8.
     *   2025-02 M4 E5 = 2; pairs PR5 PR4; answers 4, 4 → 4; PR4 (1, 1) → 1.
     *   2025-03 M6 (PR8 before PR7) E7 = 2; pairs PR7 PR8; answer M6 5; PR8 (2, 2) → 1.
     *   2025-04 E9 = 1; pair PR7; nothing else.
     *   unmatched E3 E8 E10 = 3; no pair.
     */
    by_cohort: [
      row("2025-01", "Matched in 2025-01", 8, 6, 3.5, 0.375),
      row("2025-02", "Matched in 2025-02", 2, 2, 4, 1),
      row("2025-03", "Matched in 2025-03", 2, 2, 5, 1),
      row("2025-04", "Matched in 2025-04", 1, 1, null, null),
      row("unmatched", "Not matched", 3, 0, null, null),
    ],
    /*
     * month of the program, up to the month of as_of (May): pairs active in the month
     * (matched by its last day, not ended before its first day) and their members; midpoint
     * answers submitted in it; topics of those pairs acquired by the month's end.
     *   Jan PR1 PR2 PR3 PR6 → 4 pairs, M1 E1 M2 E2 M3 E4 M5 E6 = 8 people; no answer;
     *       topics 3 + 2 + 1 + 1 = 7, acquired by 01-31: PR2 T1 → 1/7.
     *   Feb PR1 PR2 PR4 PR5 PR6 → 5 pairs, 10 people (+E5 M4, −nobody: PR3 ended in Jan);
     *       topics 3 + 2 + 1 + 1 + 1 = 8, acquired by 02-28: PR1 T1, PR2 T1 → 2/8.
     *   Mar + PR8 → 6 pairs, 12 people (+M6 E7); topics 10, acquired by 03-31: + PR1 T2,
     *       PR4 T3, PR8 T2 → 5/10.
     *   Apr + PR7 → 7 pairs, 13 people (+E9); every midpoint answer (04-01…04-05) → 27/7;
     *       topics 10 (PR7 has none), + PR8 T4 (04-30) → 6/10.
     *   May PR1 PR2 PR4 PR5 PR7 PR8 (PR6 ended in April) → 6 pairs, 11 people;
     *       topics 3 + 2 + 1 + 1 + 0 + 2 = 9, all 6 acquisitions → 6/9.
     */
    by_month: [
      row("2025-01", "Month 2025-01", 8, 4, null, close(1 / 7)),
      row("2025-02", "Month 2025-02", 10, 5, null, 0.25),
      row("2025-03", "Month 2025-03", 12, 6, null, 0.5),
      row("2025-04", "Month 2025-04", 13, 7, close(27 / 7), 0.6),
      row("2025-05", "Month 2025-05", 11, 6, null, close(6 / 9)),
    ],
  },
  impact: null,
};

function row(
  group: string,
  label: string,
  participants: number,
  pairs: number,
  midpoint_satisfaction_mean: unknown,
  completion_rate: unknown,
) {
  return { group, label, participants, pairs, midpoint_satisfaction_mean, completion_rate, suppressed: false, suppressed_fields: [] } as never;
}

describe("program P1 (octave fixture), admin", () => {
  it("pins every figure of the report as of 2025-05-15", async () => {
    const report = await getProgramReport(db, "P1", { asOf: "2025-05-15" });
    expect(report).toEqual(P1_ADMIN);
  });

  it("has every key of the contract, in order, and is plain JSON", async () => {
    const report = await getProgramReport(db, "P1", { asOf: "2025-05-15" });
    expect(Object.keys(report!)).toEqual([
      "schema_version", "program", "audience", "org_id", "k", "as_of", "participants", "pairs", "quality",
      "topics", "generations", "costs", "breakdowns", "impact",
    ]);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it("defaults as_of to the earlier of today and the end date (the program ended in 2025)", async () => {
    const report = await getProgramReport(db, "P1");
    expect(report!.as_of).toBe("2025-06-30");
    // As of 2025-06-30 the window is (2025-05-16, 2025-06-30]: no active pair met in it, and
    // all active pairs but PR7 (matched 2025-04-20, 71 days earlier) were matched ≥ 45 days
    // before; PR7 has no midpoint answer → every active pair is at risk.
    expect(report!.quality.at_risk_pairs).toBe(4);
  });

  it("as of 2025-03-15: meetings after as_of are read from the lists, pairs matched later left out", async () => {
    // Window (2025-01-29, 2025-03-15]; before the midpoint → response rate null.
    // Regularity over the pairs matched by then (not PR7), months to ended_at else as_of:
    //   PR1 Jan–Mar 3, offline Jan Feb Mar (May is after) → 1; PR2 Jan–May 5 → 3/5;
    //   PR3 1/1; PR4 Feb–Mar 2, Feb → 1/2; PR5 Feb–Mar 2, Mar → 1/2; PR6 Jan–Apr 4 → 2/4;
    //   PR8 Mar–May 3 → 2/3  ⇒ (1 + 0.6 + 1 + 0.5 + 0.5 + 0.5 + 2/3) / 7 = (14.3 / 3) / 7.
    // At risk (active PR1 PR4 PR5 PR7): PR1 met on 2025-02-15 and 03-15 → no; PR4 and PR7
    // were matched after 2025-01-29 → the meeting rule does not apply; PR5 flagged → 1.
    const report = await getProgramReport(db, "P1", { asOf: "2025-03-15" });
    expect(report!.quality).toEqual({
      ...P1_ADMIN.quality,
      midpoint_response_rate: null,
      at_risk_pairs: 1,
      meeting_regularity: close(14.3 / 3 / 7),
    });
  });

  it("mart_pair_status: recent meeting and offline months on both sides of the stored shortcuts", async () => {
    // P2's PR1: matched 2025-03-10, offline meetings 2025-03-20 and 2025-04-15.
    await getProgramReport(db, "P2", { asOf: "2025-06-15" }); // materializes P2's marts
    const status = async (asOf: string) =>
      (
        await db.all<{ has_recent_meeting: boolean; count_months: number; count_offline_months: number }>(
          `select has_recent_meeting, count_months, count_offline_months
           from mart_pair_status('P2', $as_of::date)`,
          { as_of: asOf },
        )
      )[0];
    // Meetings after as_of: window (02-02, 03-19] holds none; March counts (a meeting in it).
    expect(await status("2025-03-19")).toEqual({ has_recent_meeting: false, count_months: 1, count_offline_months: 1 });
    // Window (02-03, 03-20] holds 03-20.
    expect(await status("2025-03-20")).toEqual({ has_recent_meeting: true, count_months: 1, count_offline_months: 1 });
    // Every meeting before as_of: window (04-14, 05-29] holds 04-15; (04-15, 05-30] does not.
    expect(await status("2025-05-29")).toEqual({ has_recent_meeting: true, count_months: 3, count_offline_months: 2 });
    expect(await status("2025-05-30")).toEqual({ has_recent_meeting: false, count_months: 3, count_offline_months: 2 });
  });

  it("returns null for an unknown program", async () => {
    expect(await getProgramReport(db, "NOPE", { asOf: "2025-05-15" })).toBeNull();
  });

  it("refuses bad options, naming the value", async () => {
    await expect(getProgramReport(db, "P1", { k: 2 })).rejects.toThrow("invalid k: 2");
    await expect(getProgramReport(db, "P1", { audience: "sponsor" })).rejects.toThrow("sponsor audience needs an organization");
    await expect(getProgramReport(db, "P1", { asOf: "2025-02-30" })).rejects.toThrow('invalid as-of date: "2025-02-30"');
  });
});

describe("program P2 (pilot fixture): same ids as P1, nothing finished, nothing evaluated or paid", () => {
  /*
   * P2: start 2025-03-01, end 2025-12-31 → midpoint 2025-03-01 + ⌊305 / 2⌋ = 152 days = 2025-07-31.
   * as_of 2025-06-15 is before the midpoint → response rate null.
   * Participants M1 (ORG-A, mentor, 1990, F: millennials, 35), E1 (ORG-D, mentee, 2001, M:
   * gen_z, 24), E2 (ORG-D, mentee, 1998, no gender: gen_z, 27, unmatched)
   *   → 3 people, 1 mentor, 2 mentees, 1 matched, 2 orgs, match rate 1/2, outside core 2/3.
   * PR1 M1–E1 matched 2025-03-10, active: gap 11, cross-generation → rate 1, median 11.
   *   Months Mar–Jun = 4, offline meetings in Mar and Apr → regularity 0.5.
   *   Window (2025-05-01, 2025-06-15]: last meeting 2025-04-15 → no recent meeting, matched
   *   ≥ 45 days before → at risk (1). Not flagged (no evaluations).
   * One topic targeted, none acquired → completion 0 (a true zero), median days null.
   * No cost rows → total and every ratio null; CHF → no EUR market band.
   */
  it("reports nulls where nothing can be computed, and true zeros where they are counts", async () => {
    const report = await getProgramReport(db, "P2", { asOf: "2025-06-15" });
    expect(report).toEqual({
      schema_version: 1,
      program: {
        program_id: "P2",
        name: "Pilote jeunes",
        kind: "intra",
        start_date: "2025-03-01",
        end_date: "2025-12-31",
        currency: "CHF",
      },
      audience: "admin",
      org_id: null,
      k: null,
      as_of: "2025-06-15",
      participants: { total: 3, mentors: 1, mentees: 2, matched_mentees: 1, organizations: 2 },
      pairs: { total: 1, active: 1, completed: 0, ended_early: 0, reverse: 0, match_rate: 0.5 },
      quality: {
        midpoint_satisfaction_mean: null,
        final_satisfaction_mean: null,
        midpoint_response_rate: null,
        midpoint_flagged_pairs: 0,
        at_risk_pairs: 1,
        meeting_regularity: 0.5,
        early_termination_rate: null,
      },
      topics: { targeted: 1, acquired: 0, completion_rate: 0, median_days_to_acquire: null },
      generations: {
        participants_by_generation: { boomers: 0, gen_x: 0, millennials: 1, gen_z: 2 },
        cross_generation_pair_rate: 1,
        median_age_gap_years: 11,
        outside_core_share: close(2 / 3),
      },
      costs: {
        total: null,
        per_participant: null,
        per_matched_mentee: null,
        per_completed_pair: null,
        per_acquired_topic: null,
        market_band_per_mentee: null,
      },
      breakdowns: {
        by_organization: [row("ORG-A", "Alpha SA", 1, 1, null, null), row("ORG-D", "Delta", 2, 1, null, 0)],
        by_generation: [row("gen_z", "Gen Z", 2, 1, null, 0), row("millennials", "Millennials", 1, 1, null, null)],
        by_gender: [row("F", "F", 1, 1, null, null), row("M", "M", 1, 1, null, 0), row("unknown", "Not stated", 1, 0, null, null)],
        by_role: [row("mentee", "Mentees", 2, 1, null, 0), row("mentor", "Mentors", 1, 1, null, null)],
        by_cohort: [row("2025-03", "Matched in 2025-03", 2, 1, null, 0), row("unmatched", "Not matched", 1, 0, null, null)],
        // March to June: PR1 active, M1 and E1, its one topic not acquired.
        by_month: ["2025-03", "2025-04", "2025-05", "2025-06"].map((m) => row(m, `Month ${m}`, 2, 1, null, 0)),
      },
      impact: null,
    });
  });

  it("the midpoint response rate appears once as_of reaches the midpoint", async () => {
    // As of 2025-07-31 (the midpoint): PR1 is open and has no midpoint answer → 0/1 = 0.
    const report = await getProgramReport(db, "P2", { asOf: "2025-07-31" });
    expect(report!.quality.midpoint_response_rate).toBe(0);
    const before = await getProgramReport(db, "P2", { asOf: "2025-07-30" });
    expect(before!.quality.midpoint_response_rate).toBeNull();
  });

  it("leaves pairs matched after as_of out of meeting regularity", async () => {
    // As of 2025-03-09 PR1 (matched 2025-03-10) has no months yet → no pair → null.
    const report = await getProgramReport(db, "P2", { asOf: "2025-03-09" });
    expect(report!.quality.meeting_regularity).toBeNull();
  });
});
