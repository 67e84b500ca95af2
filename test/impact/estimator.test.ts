/**
 * The impact estimator (issue 13, decision 0020) on small fixtures computed by hand:
 * Kaplan–Meier, entropy-balancing weights and the balance table, the censoring rules,
 * insufficient_data, the money rule, and the analytic variance (Greenwood by hand; the delta
 * method against finite differences of the estimate).
 */
import { describe, expect, it } from "vitest";
import { entropyBalance, balanceTable } from "../../analytics/impact/balance.ts";
import { addMonths, completedYears, tenureBand } from "../../analytics/impact/bands.ts";
import { curveMonthsShown, estimateImpact, moneyFigures, type Estimate, type ImpactInput, type ImpactRow } from "../../analytics/impact/estimate.ts";
import { kaplanMeier, survivalAt, survivalAtTimes } from "../../analytics/impact/km.ts";
import { impactRows } from "../../analytics/impact/records.ts";

describe("Kaplan–Meier", () => {
  it("multiplies (1 − events / at risk) over the event times; the censored leave the risk set after the events of their day", () => {
    // 5 people: event day 2; censored day 3; event and censored day 5; censored day 8.
    const steps = kaplanMeier([
      { time: 2, events: 1, censored: 0 },
      { time: 3, events: 0, censored: 1 },
      { time: 5, events: 1, censored: 1 },
      { time: 8, events: 0, censored: 1 },
    ]);
    // Day 2: 1 − 1/5 = 0.8. Day 5: 3 at risk (the one censored on day 5 included): 0.8 × (1 − 1/3).
    expect(survivalAt(steps, 1)).toBe(1);
    expect(survivalAt(steps, 2)).toBeCloseTo(0.8, 12);
    expect(survivalAt(steps, 4)).toBeCloseTo(0.8, 12);
    expect(survivalAt(steps, 5)).toBeCloseTo((0.8 * 2) / 3, 12);
    expect(survivalAt(steps, 30)).toBeCloseTo((0.8 * 2) / 3, 12);
    expect(steps.map((s) => s.atRisk)).toEqual([5, 4, 3, 1]);
  });

  it("weights people: two events of weight 2 of 5 at risk, then one of the 2 left", () => {
    const records = [
      { time: 1, events: 1, censored: 0, weight: 2 },
      { time: 2, events: 0, censored: 1, weight: 1 },
      { time: 3, events: 1, censored: 0, weight: 1 },
      { time: 4, events: 0, censored: 1, weight: 1 },
    ];
    // At risk 2 + 1 + 1 + 1 = 5: S(1) = 1 − 2/5 = 0.6; after the censoring 2 are left: S(3) = 0.6 × 1/2.
    expect(survivalAt(kaplanMeier(records), 3)).toBeCloseTo(0.3, 12);
    const f = (xs: number[]) => Float64Array.from(xs);
    expect(survivalAtTimes(f([1, 2, 3, 4]), f([1, 0, 1, 0]), f([0, 1, 0, 1]), f([2, 1, 1, 1]), [0, 1, 3, 10])).toEqual([1, 0.6, 0.3, 0.3].map((x) => expect.closeTo(x, 12)));
  });
});

describe("entropy balancing", () => {
  it("one factor: the comparison group takes the participants' shares, weights summing to the participants", () => {
    // Participants: 3 in level 0, 1 in level 1 (75 % / 25 %). Comparison: 2 and 6.
    const r = entropyBalance({ levels: [2], cellLevels: [[0], [1]] }, [3, 1], [2, 6]);
    expect(r.ok).toBe(true);
    // Level 0's 2 people carry 3 (1.5 each); level 1's 6 people carry 1 (1/6 each).
    expect(r.weights[0]).toBeCloseTo(1.5, 9);
    expect(r.weights[1]).toBeCloseTo(1 / 6, 9);
  });

  it("two factors: the weights are exp(λ·x), the least change that matches both margins", () => {
    // Cells (a, b): participants (0,0): 2, (0,1): 1, (1,1): 1 → share a=0 is 3/4, b=0 is 1/2.
    // One comparison person per cell. By symmetry in b, λ_b = 0: the a=0 cells carry 3/8 each.
    const cells = { levels: [2, 2], cellLevels: [[0, 0], [0, 1], [1, 0], [1, 1]] };
    const r = entropyBalance(cells, [2, 1, 0, 1], [1, 1, 1, 1]);
    expect(r.ok).toBe(true);
    expect([...r.weights].map((w) => Number(w.toFixed(9)))).toEqual([1.5, 1.5, 0.5, 0.5]);
    // The balance table: a = 0 is 3/4 among participants, 1/2 before, 3/4 after.
    const table = balanceTable(cells, [{ covariate: "a", levels: ["a0", "a1"] }, { covariate: "b", levels: ["b0", "b1"] }], [2, 1, 0, 1], [1, 1, 1, 1], r);
    const a0 = table.find((row) => row.level === "a0")!;
    expect(a0.participants_share).toBe(0.75);
    expect(a0.comparison_share_before).toBe(0.5);
    expect(a0.comparison_share_after).toBeCloseTo(0.75, 9);
    // SMD = (0.75 − 0.5) / √((0.75·0.25 + 0.5·0.5) / 2) = 0.25 / √0.21875.
    expect(a0.smd_before).toBeCloseTo(0.25 / Math.sqrt(0.21875), 9);
    expect(a0.smd_after).toBeCloseTo(0, 8);
  });

  it("leaves out the participants of a level without comparison people, and weighs 0 the comparison people of a level without participants", () => {
    const r = entropyBalance({ levels: [3], cellLevels: [[0], [1], [2]] }, [4, 1, 0], [5, 0, 7]);
    expect(r.ok).toBe(true);
    expect(r.keptTreatedCount).toBe(4);
    expect([...r.keptTreated]).toEqual([1, 0, 0]);
    expect(r.weights[0]).toBeCloseTo(4 / 5, 9);
    expect(r.weights[2]).toBe(0);
  });
});

describe("the censoring rules (analytics/impact/records.ts, as sql/impact/records.sql)", () => {
  it("counts voluntary departures as retention events; other departures, the extract and the horizon censor; promotion is censored by any departure", () => {
    const p = (leftAt: number | null, leaveReason: string | null, promotedAt: number | null, observedUntil = 400) => ({ participant: true, role: "mentee" as const, cell: "O|gen_x|3|lt2", leftAt, leaveReason, promotedAt, observedUntil });
    const { retention, promotion } = impactRows(
      [
        p(100, "voluntary", null), // event at 100
        p(100, "involuntary", null), // censored at 100
        p(380, "voluntary", 50), // left after the horizon (365): censored at 365; promoted at 50
        p(null, null, null, 200), // extract taken at 200: censored at 200
        p(120, "retirement", 130), // promoted after leaving: not counted
      ],
      365,
    );
    const pick = (rows: ImpactRow[]) => rows.map((r) => [r.time, r.event, r.n]).sort((a, b) => Number(a[0]) - Number(b[0]) || Number(a[1]) - Number(b[1]));
    expect(pick(retention)).toEqual([[100, false, 1], [100, true, 1], [200, false, 1], [120, false, 1], [365, false, 1]].sort((a, b) => Number(a[0]) - Number(b[0]) || Number(a[1]) - Number(b[1])));
    expect(pick(promotion)).toEqual([[50, true, 1], [100, false, 2], [120, false, 1], [200, false, 1]]);
  });

  it("bands tenure by completed years and adds calendar months", () => {
    expect(completedYears("2020-03-02", "2025-03-01")).toBe(4);
    expect(completedYears("2020-03-01", "2025-03-01")).toBe(5);
    expect([0, 1, 2, 4, 5, 9, 10, 19, 20].map(tenureBand)).toEqual(["lt2", "lt2", "2to5", "2to5", "5to10", "5to10", "10to20", "10to20", "ge20"]);
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2025-10-01", 12)).toBe("2026-10-01");
  });
});

/** A one-cell world: participants and comparison alike, so the weights are 1 and the effect is the KM difference. */
function oneCell(participantsLeft: number, participants: number, othersLeft: number, others: number): ImpactInput {
  const rows = (participant: boolean, left: number, total: number): ImpactRow[] => [
    { participant, role: participant ? ("mentee" as const) : null, cell: "ORG|gen_x|3|5to10", time: 100, event: true, n: left },
    { participant, role: participant ? ("mentee" as const) : null, cell: "ORG|gen_x|3|5to10", time: 365, event: false, n: total - left },
  ].filter((r) => r.n > 0);
  const all = [...rows(true, participantsLeft, participants), ...rows(false, othersLeft, others)];
  return { horizonMonths: 12, monthDays: [0, 365], longestHorizonMonths: 12, participantsMissing: 0, retention: all, promotion: all };
}

describe("the estimate", () => {
  it("is the Kaplan–Meier difference when the groups are alike; the interval is seeded (same seed, same interval)", () => {
    // Participants: 10 of 100 leave (90 % stay); others: 60 of 300 (80 % stay): effect +10 points.
    const input = oneCell(10, 100, 60, 300);
    const a = estimateImpact(input, { k: 5, seed: 7 });
    expect(a.status).toBe("ok");
    expect(a.retention!.participants).toEqual({ n: 100, rate: 0.9 });
    expect(a.retention!.comparison.rate).toBeCloseTo(0.8, 12);
    expect(a.retention!.effect).toBeCloseTo(0.1, 12);
    expect(a.retention!.naive_effect).toBeCloseTo(0.1, 12);
    expect(a.promotion!.participants.rate).toBeCloseTo(0.1, 12); // promotion = 1 − KM
    const [lo, hi] = a.retention!.ci95!;
    expect(lo).toBeLessThan(0.1);
    expect(hi).toBeGreaterThan(0.1);
    // Binomial SEs: √(.09/100 + .16/300) ≈ 0.038: the interval is about ± 0.075.
    expect(hi - lo).toBeGreaterThan(0.1);
    expect(hi - lo).toBeLessThan(0.2);
    const boot = (seed: number) => estimateImpact(input, { k: 5, seed, variance: "bootstrap" }).retention!;
    expect(boot(7).ci95).toEqual(boot(7).ci95);
    expect(boot(8).ci95).not.toEqual(boot(7).ci95);
    expect(boot(7).method).toMatch(/percentile interval from a seeded Poisson bootstrap/);
    expect(a.retention!.method).toMatch(/delta method/);
  });

  it("analytic interval: Greenwood's variance when the weights are 1 (one cell), by hand", () => {
    // One event time: Var S = S(1 − S)/n per group. 0.9 × 0.1 / 100 + 0.8 × 0.2 / 300 = 0.0009 + 0.000533… .
    const a = estimateImpact(oneCell(10, 100, 60, 300), { k: 5 }).retention!;
    const se = Math.sqrt(0.0009 + 0.16 / 300);
    expect(a.ci95![0]).toBeCloseTo(0.1 - 1.959964 * se, 6);
    expect(a.ci95![1]).toBeCloseTo(0.1 + 1.959964 * se, 6);
    // The curve's bands at the horizon: each rate ± 1.96 of its own Greenwood SE.
    expect(a.curves[1].participants_ci95[0]).toBeCloseTo(0.9 - 1.959964 * Math.sqrt(0.0009), 6);
    expect(a.curves[1].comparison_ci95[1]).toBeCloseTo(0.8 + 1.959964 * Math.sqrt(0.16 / 300), 6);
    expect(a.curves[0].participants_ci95).toEqual([1, 1]);
  });

  it("analytic interval: Σ (∂effect/∂N_r)² N_r, the weights' dependence included, equals the finite differences of the estimate", () => {
    // Two organizations × two levels, participants over-represented in A and level 2, with several event times.
    const rows: ImpactRow[] = [];
    const add = (participant: boolean, cell: string, time: number, event: boolean, n: number) => rows.push({ participant, role: participant ? "mentee" : null, cell, time, event, n });
    const cells = ["A|gen_x|1|lt2", "A|gen_x|2|lt2", "B|gen_x|1|lt2", "B|gen_x|2|lt2"];
    cells.forEach((cell, i) => {
      add(true, cell, 30 + 10 * i, true, 2 + i);
      add(true, cell, 200, true, 1 + (i % 2));
      add(true, cell, 120, false, 3);
      add(true, cell, 365, false, 20 - 3 * i);
      add(false, cell, 30 + 10 * i, true, 6 + 2 * i);
      add(false, cell, 90, true, 4 + i);
      add(false, cell, 200, true, 3);
      add(false, cell, 150, false, 5);
      add(false, cell, 365, false, 30 + 15 * i);
    });
    const input: ImpactInput = { horizonMonths: 12, monthDays: [0, 365], longestHorizonMonths: 12, participantsMissing: 0, retention: rows, promotion: rows };
    const figures = (rs: ImpactRow[]) => estimateImpact({ ...input, retention: rs, promotion: rs }, { k: 5, subgroups: false, variance: "bootstrap", bootstrap: 0 }).retention!;
    const eps = 1e-5;
    let variance = 0;
    let varianceComparison = 0;
    rows.forEach((r, i) => {
      const moved = (d: number) => figures(rows.map((x, j) => (j === i ? { ...x, n: x.n + d } : x)));
      const [up, down] = [moved(eps), moved(-eps)];
      variance += ((up.effect! - down.effect!) / (2 * eps)) ** 2 * r.n;
      varianceComparison += ((up.comparison.rate! - down.comparison.rate!) / (2 * eps)) ** 2 * r.n;
    });
    const a = estimateImpact(input, { k: 5, subgroups: false }).retention!;
    const half = (a.ci95![1] - a.ci95![0]) / 2;
    expect(half / 1.959964).toBeCloseTo(Math.sqrt(variance), 6);
    // The curve's band at the horizon (one sweep over the months) likewise, for the reweighted comparison alone.
    const band = a.curves[1].comparison_ci95;
    expect((band[1] - band[0]) / 2 / 1.959964).toBeCloseTo(Math.sqrt(varianceComparison), 6);
    // The weights are not uniform here, so their term (∂λ) is part of what is checked.
    expect(a.comparison.effective_n!).toBeLessThan(a.counts.comparison!);
  });

  it("says insufficient_data with the counts under k people on a side or k events, and names the longest horizon", () => {
    const few = estimateImpact(oneCell(1, 4, 60, 300), { k: 5 });
    expect(few.status).toBe("insufficient_data");
    expect(few.retention).toMatchObject({ status: "insufficient_data", reason: "too_few_people", effect: null, ci95: null, counts: { participants: 4, comparison: 300, events: 61 } });
    // A protected reader does not get a count of 1 to k − 1 people.
    expect(estimateImpact(oneCell(1, 4, 60, 300), { k: 5, protectedCounts: true }).retention!.counts).toEqual({ participants: null, comparison: 300, events: 61 });
    const noEvents = estimateImpact(oneCell(1, 100, 2, 300), { k: 5 });
    expect(noEvents.retention).toMatchObject({ status: "insufficient_data", reason: "too_few_events" });
    const far = estimateImpact({ ...oneCell(10, 100, 60, 300), horizonMonths: 18, longestHorizonMonths: 12 }, { k: 5 });
    expect(far).toMatchObject({ status: "insufficient_data", horizon_months: 18, longest_horizon_months: 12, retention: null, promotion: null });
    expect(estimateImpact({ ...oneCell(10, 100, 60, 300), longestHorizonMonths: null }, { k: 5 })).toMatchObject({ status: "no_workforce", money: null });
  });
});

describe("the curves a protected reader is shown", () => {
  const days = [0, 30, 60, 90, 120];
  const ev = (time: number, n: number) => ({ time, event: true, n });
  it("leaves out a month whose step is 1 to k − 1 events on either side; its events count towards the next month shown", () => {
    // Participants: 1 event in month 1, 4 in month 2 (5 since month 0), 0 in month 3, 2 in month 4.
    // Comparison: 10 events in each month.
    const treated = [ev(10, 1), ev(45, 4), ev(100, 2), { time: 120, event: false, n: 50 }];
    const control = [ev(20, 10), ev(50, 10), ev(80, 10), ev(110, 10)];
    expect(curveMonthsShown({ monthDays: days, k: 5 }, treated, control)).toEqual([true, false, true, true, false]);
    // A step of 1 to k − 1 in the comparison hides the month too.
    expect(curveMonthsShown({ monthDays: days, k: 5 }, [ev(10, 5)], [ev(10, 2), ev(40, 3)])).toEqual([true, false, true, true, true]);
  });

  it("estimateImpact: every month for the operators, only those months for a protected reader (the same values at them)", () => {
    const rows = (participant: boolean, events: [number, number][], total: number): ImpactRow[] => [
      ...events.map(([time, n]) => ({ participant, role: participant ? ("mentee" as const) : null, cell: "ORG|gen_x|3|5to10", time, event: true, n })),
      { participant, role: participant ? ("mentee" as const) : null, cell: "ORG|gen_x|3|5to10", time: 120, event: false, n: total - events.reduce((t, [, n]) => t + n, 0) },
    ];
    const all = [...rows(true, [[10, 1], [45, 4], [100, 2]], 100), ...rows(false, [[20, 10], [50, 10], [80, 10], [110, 10]], 300)];
    const input: ImpactInput = { horizonMonths: 4, monthDays: days, longestHorizonMonths: 4, participantsMissing: 0, retention: all, promotion: all };
    const admin = estimateImpact(input, { k: 5 }).retention!.curves;
    const reader = estimateImpact(input, { k: 5, protectedCounts: true }).retention!.curves;
    expect(admin.map((c) => c.month)).toEqual([0, 1, 2, 3, 4]);
    expect(reader.map((c) => c.month)).toEqual([0, 2, 3]);
    for (const c of reader) expect(c).toEqual(admin.find((a) => a.month === c.month));
  });
});

describe("the balance table a protected reader is shown", () => {
  it("leaves out a covariate with a level of 1 to k − 1 people (its shares would give the count); the operators see it", () => {
    const rows = (cell: string, participants: number, left: number, others: number, othersLeft: number): ImpactRow[] => [
      { participant: true, role: "mentee", cell, time: 100, event: true, n: left },
      { participant: true, role: "mentee", cell, time: 365, event: false, n: participants - left },
      { participant: false, role: null, cell, time: 100, event: true, n: othersLeft },
      { participant: false, role: null, cell, time: 365, event: false, n: others - othersLeft },
    ];
    const all = [...rows("ORG|gen_x|3|5to10", 60, 6, 200, 40), ...rows("ORG|boomers|3|5to10", 2, 1, 200, 40)];
    const input: ImpactInput = { horizonMonths: 12, monthDays: [0, 365], longestHorizonMonths: 12, participantsMissing: 0, retention: all, promotion: all };
    const covariates = (b: { covariate: string }[]) => [...new Set(b.map((r) => r.covariate))].sort();
    const admin = estimateImpact(input, { k: 5 }).retention!;
    expect(admin.balance.filter((r) => r.covariate === "generation").map((r) => [r.level, r.participants_share])).toEqual([
      ["boomers", 2 / 62],
      ["gen_x", 60 / 62],
    ]);
    const reader = estimateImpact(input, { k: 5, protectedCounts: true }).retention!;
    expect(covariates(reader.balance)).toEqual(covariates(admin.balance).filter((c) => c !== "generation"));
  });
});

describe("the money rule", () => {
  const retention = { status: "ok", effect: 0.05, ci95: [0.02, 0.08], participants: { n: 200, rate: 0.9 } } as Estimate;

  it("departures avoided = effect × participants; benefit = × cost per departure; ROI = (benefit − cost) / cost, with intervals", () => {
    const { money, status } = moneyFigures(retention, 20_000, 100_000);
    expect(status).toBe("ok");
    // 0.05 × 200 = 10 departures avoided; × 20,000 = 200,000; (200,000 − 100,000) / 100,000 = 1.
    expect(money!.departures_avoided).toBeCloseTo(10, 9);
    expect(money!.benefit).toBeCloseTo(200_000, 6);
    expect(money!.roi).toBeCloseTo(1, 9);
    // 0.02 × 200 × 20,000 = 80,000 → −0.2; 0.08 × 200 × 20,000 = 320,000 → 2.2.
    expect(money!.roi_ci95![0]).toBeCloseTo(-0.2, 9);
    expect(money!.roi_ci95![1]).toBeCloseTo(2.2, 9);
    expect(money!.departures_avoided_ci95.map((x) => Number(x.toFixed(9)))).toEqual([4, 16]);
  });

  it("gives no money figure without a cost per departure (never a default), nor without an estimate; no ROI without a program cost", () => {
    expect(moneyFigures(retention, null, 100_000)).toEqual({ money: null, status: "no_cost_per_departure" });
    expect(moneyFigures({ ...retention, status: "insufficient_data", effect: null }, 20_000, 100_000)).toEqual({ money: null, status: "no_estimate" });
    expect(moneyFigures(retention, 20_000, null).money).toMatchObject({ benefit: expect.closeTo(200_000, 6), roi: null, roi_ci95: null });
    const report = estimateImpact(oneCell(10, 100, 60, 300), { k: 5 });
    expect(report).toMatchObject({ money: null, money_status: "no_cost_per_departure" });
    expect(estimateImpact(oneCell(10, 100, 60, 300), { k: 5, costPerDeparture: 1000, programCost: 5000, moneyHidden: true })).toMatchObject({ money: null, money_status: "hidden" });
  });
});
