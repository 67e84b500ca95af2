// The simulation verdict: a strategy wins over the recorded pairs only when the interval of its
// gain in expected successful pairs lies above 0; the verdict names what the winner gives up
// (reach, fairness) and says when the winner maximises the score the model was fitted on. The
// gain's interval is paired over the model's bootstrap refits.
import { describe, expect, it } from "vitest";
import { gainOver, type RunMetrics } from "../../analytics/matching/evaluate.ts";
import { bestValues, isBest, verdictOf, type VerdictRow } from "../../analytics/matching/verdict.ts";

const row = (strategy: string, over: Partial<VerdictRow> = {}): VerdictRow => ({
  strategy,
  pairs: 40,
  expected_successes: 24,
  gain_over_recorded: strategy === "recorded" ? null : 0,
  gain_low: strategy === "recorded" ? null : -1,
  gain_high: strategy === "recorded" ? null : 1,
  cross_generation_rate: 0.5,
  cross_company_rate: 0.4,
  fairness_gap_organization: 0.1,
  fairness_gap_generation: 0.1,
  ...over,
});

describe("the verdict", () => {
  it("names the strategy whose gain is beyond its interval, and what it costs in reach and fairness", () => {
    const v = verdictOf(
      [
        row("recorded"),
        row("random", { gain_over_recorded: -3, gain_low: -5, gain_high: -1 }),
        row("optimal", { gain_over_recorded: 4.2, gain_low: 2.1, gain_high: 6, cross_generation_rate: 0.3, fairness_gap_generation: 0.25, cross_company_rate: 0.395 }),
      ],
      true,
    );
    expect(v).toEqual({
      kind: "winner",
      best: "optimal",
      gain: 4.2,
      low: 2.1,
      high: 6,
      self_graded: true,
      trade_offs: [
        { figure: "cross_generation_rate", recorded: 0.5, winner: 0.3 },
        { figure: "fairness_gap_generation", recorded: 0.1, winner: 0.25 },
      ],
    });
  });

  it("calls no winner when the best gain's interval reaches 0", () => {
    const v = verdictOf([row("recorded"), row("optimal", { gain_over_recorded: 1.5, gain_low: -0.2, gain_high: 3 }), row("random", { gain_over_recorded: 0.5 })], true);
    expect(v).toEqual({ kind: "no_clear_winner", best: "optimal", gain: 1.5, low: -0.2, high: 3, self_graded: true });
  });

  it("does not call random or the recorded pairs self-graded", () => {
    const v = verdictOf([row("recorded"), row("random", { gain_over_recorded: 2, gain_low: 0.5, gain_high: 3 })], true);
    expect(v).toMatchObject({ kind: "winner", best: "random", self_graded: false, trade_offs: [] });
  });

  it("has no verdict without a model, and for a new cohort names the most expected successes", () => {
    expect(verdictOf([row("recorded"), row("optimal")], false)).toEqual({ kind: "no_model" });
    const cohort = [row("optimal", { expected_successes: 30, gain_over_recorded: null }), row("reach", { expected_successes: 31.5, gain_over_recorded: null })];
    expect(verdictOf(cohort, true)).toEqual({ kind: "new_cohort", best: "reach", expected_successes: 31.5 });
  });
});

describe("the best value of each column", () => {
  it("is the highest where higher is better, the lowest for gaps and blocking pairs, nothing for ties or the age gap", () => {
    const rows = [
      { pairs: 40, blocking_pairs: 12, median_age_gap_years: 20, coverage: 0.8 },
      { pairs: 44, blocking_pairs: 0, median_age_gap_years: 25, coverage: 0.8 },
      { pairs: 44, blocking_pairs: 3, median_age_gap_years: 30, coverage: null },
    ];
    expect(bestValues(rows, ["pairs", "blocking_pairs", "median_age_gap_years", "coverage"])).toEqual({ pairs: 44, blocking_pairs: 0 });
  });

  it("treats a mean over runs equal on paper to another figure as a tie", () => {
    const runs = Array.from({ length: 20 }, () => 10 / 11);
    const mean = runs.reduce((a, b) => a + b, 0) / runs.length;
    expect(mean).not.toBe(10 / 11);
    const rows = [{ coverage: 10 / 11 }, { coverage: mean }];
    const best = bestValues(rows, ["coverage"]);
    expect(best).toEqual({});
    const rows2 = [...rows, { coverage: 0.5 }];
    const best2 = bestValues(rows2, ["coverage"]);
    expect([isBest(best2, "coverage", 10 / 11), isBest(best2, "coverage", mean), isBest(best2, "coverage", 0.5)]).toEqual([true, true, false]);
  });
});

describe("the gain over the recorded pairs", () => {
  const metrics = (pairs: number, expected: number, boot: number[]): RunMetrics => ({ pairs, expected_successes: expected, predicted_boot: Float64Array.from(boot) }) as unknown as RunMetrics;

  it("is the difference of expected successful pairs, its interval paired over the refits", () => {
    // Refit r scores both matchings: a shared shift of the model cancels in the difference.
    const base = metrics(10, 6, [0.5, 0.6, 0.7, 0.8]);
    const other = metrics(10, 7, [0.6, 0.7, 0.8, 0.9]);
    const gain = gainOver([base], [other])!;
    expect(gain.mean).toBeCloseTo(1, 12);
    expect(gain.low).toBeCloseTo(1, 12);
    expect(gain.high).toBeCloseTo(1, 12);
  });

  it("averages a seeded strategy's runs refit by refit, and is null without a model", () => {
    const base = metrics(10, 5, [0.5, 0.5]);
    const runs = [metrics(10, 6, [0.6, 0.7]), metrics(12, 6, [0.5, 0.5])];
    const gain = gainOver([base], runs)!;
    expect(gain.mean).toBeCloseTo(1, 12);
    // Refit 0: (6 + 6) / 2 − 5 = 1; refit 1: (7 + 6) / 2 − 5 = 1.5.
    expect(gain.low).toBeGreaterThanOrEqual(1 - 1e-12);
    expect(gain.high).toBeLessThanOrEqual(1.5 + 1e-12);
    expect(gainOver([{ ...base, predicted_boot: null }], runs)).toBeNull();
  });
});
