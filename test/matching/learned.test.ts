/**
 * The learned strategy (issue 15): judged against the generating model's TRUE success
 * probability, which no strategy sees. With a planted mismatch (mismatch-demo: the job-level
 * gap matters more than the default weights say) learned must beat optimal beyond the 95 %
 * interval of the difference over 20 seeds; where the default weights are right (the truth is
 * the default score up to scale), learned must stay within that interval of optimal.
 */
import { describe, expect, it } from "vitest";
import { crossFitFolds } from "../../analytics/matching/learned.ts";
import { runSimulation } from "../../analytics/matching/simulation.ts";
import type { StrategyName } from "../../analytics/matching/strategies.ts";
import type { ProgramData } from "../../analytics/matching/types.ts";
import { defaultWeights, parseWeights } from "../../analytics/matching/weights.ts";
import { matchingCohort, type MatchingCohort } from "../../seeds/matching-cohort.ts";
import { ALIGNED_EFFECTS } from "../../seeds/model.ts";
import { LARGE_DEMO, MISMATCH_DEMO, type ProgramSpec } from "../../seeds/programs.ts";

const SEEDS = 20;
const small = (spec: ProgramSpec): ProgramSpec => ({ ...spec, mentors: 300, mentees: 339 });

/** Mean TRUE success probability of a strategy's pairs. */
function trueMean(cohort: MatchingCohort, matching: { mentee: Int32Array; mentor: Int32Array }): number {
  let total = 0;
  for (let k = 0; k < matching.mentee.length; k++) total += cohort.trueProbability(matching.mentor[k], matching.mentee[k]);
  return total / matching.mentee.length;
}

/** learned − optimal in true success probability, one value per seed, with its 95 % interval. */
async function compare(spec: ProgramSpec) {
  const diffs: number[] = [];
  const both: { learned: number; optimal: number }[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const cohort = matchingCohort(spec, seed);
    const program = cohort as ProgramData;
    const out = await runSimulation({ program, training: [program] }, { strategies: ["optimal", "learned"], runs: 1, seed, weights: defaultWeights(), bootstrap: 10, workers: 0 });
    const value = (s: StrategyName) => trueMean(cohort, out.matching(s));
    both.push({ learned: value("learned"), optimal: value("optimal") });
    diffs.push(value("learned") - value("optimal"));
    // Same coverage: learned, like optimal, takes the most pairs first.
    expect(out.matching("learned").mentee.length).toBe(out.matching("optimal").mentee.length);
  }
  const mean = diffs.reduce((a, b) => a + b, 0) / SEEDS;
  const sd = Math.sqrt(diffs.reduce((a, b) => a + (b - mean) ** 2, 0) / (SEEDS - 1));
  const half = (2.093 * sd) / Math.sqrt(SEEDS); // t quantile, 19 degrees of freedom
  return { mean, low: mean - half, high: mean + half, both };
}

describe("learned strategy against the true success model", () => {
  it("beats optimal when the default weights underweight a feature (mismatch-demo)", async () => {
    const r = await compare(small(MISMATCH_DEMO));
    expect(r.low).toBeGreaterThan(0);
    expect(r.mean).toBeGreaterThan(0.02);
  }, 60_000);

  it("stays within its interval of optimal when the default weights are right", async () => {
    const r = await compare(small({ ...LARGE_DEMO, programId: "aligned-demo", trueEffects: ALIGNED_EFFECTS }));
    expect(r.low).toBeLessThanOrEqual(0);
    expect(r.high).toBeGreaterThanOrEqual(0);
  }, 60_000);
});

describe("learned strategy: cross-fitting, constraints, proposals", () => {
  it("puts every labelled pair of a mentee in that mentee's fold; other programs' pairs are spread over the folds", () => {
    const owner = Int32Array.from([0, 1, 1, 2, -1, -1, -1, -1, -1, 3]);
    const { menteeFold, pairFold } = crossFitFolds(4, owner, 2, 9);
    for (let r = 0; r < owner.length; r++) if (owner[r] >= 0) expect(pairFold[r]).toBe(menteeFold[owner[r]]);
    const others = [4, 5, 6, 7, 8].map((r) => pairFold[r]);
    expect(new Set(others).size).toBe(2);
  });

  it("respects capacities and forbidden pairs, and proposes pairs for a new cohort trained on another program", async () => {
    const past = matchingCohort(small(MISMATCH_DEMO), 3) as ProgramData;
    const next = matchingCohort({ ...small(MISMATCH_DEMO), programId: "next" }, 4) as ProgramData;
    const cohort: ProgramData = { ...next, pairs: [] };
    const base = defaultWeights();
    const weights = parseWeights({
      ...base,
      constraints: {
        ...base.constraints,
        mentor_capacity: 1,
        mentor_capacities: { [cohort.mentors[0].id]: 3, [cohort.mentors[1].id]: 0 },
        forbidden_pairs: [{ mentor_id: cohort.mentors[2].id, mentee_id: cohort.mentees[0].id }],
      },
    });
    const out = await runSimulation({ program: cohort, training: [past] }, { strategies: ["optimal", "learned"], runs: 1, seed: 2, weights, bootstrap: 10, workers: 0 });
    expect(out.result.skipped).toEqual([]);
    const m = out.matching("learned");
    const load = new Map<number, number>();
    for (let k = 0; k < m.mentee.length; k++) {
      load.set(m.mentor[k], (load.get(m.mentor[k]) ?? 0) + 1);
      expect(out.scores[m.mentee[k] * cohort.mentors.length + m.mentor[k]]).not.toBe(-Infinity);
      expect(m.mentor[k] === 2 && m.mentee[k] === 0).toBe(false);
    }
    for (const [j, n] of load) expect(n).toBeLessThanOrEqual(j === 0 ? 3 : j === 1 ? 0 : 1);
    expect(new Set(m.mentee).size).toBe(m.mentee.length);
    expect(out.result.strategies.map((s) => s.strategy)).toEqual(["optimal", "learned"]);
  });

  it("is skipped with the reason when the outcome model has too few labels", async () => {
    const cohort = matchingCohort({ ...small(LARGE_DEMO), mentors: 20, mentees: 22 }, 1) as ProgramData;
    const out = await runSimulation({ program: cohort, training: [cohort] }, { strategies: ["optimal", "learned"], runs: 1, seed: 1, weights: defaultWeights(), bootstrap: 10, workers: 0 });
    expect(out.result.skipped.map((s) => s.strategy)).toEqual(["learned"]);
    expect(out.result.skipped[0].reason).toMatch(/labelled/);
  });
});

describe("out-of-time validation", () => {
  it("trains on the earlier intake months and tests on the later ones; the 5-fold CV stays the second figure", async () => {
    const cohort = matchingCohort({ ...MISMATCH_DEMO, mentors: 600, mentees: 678 }, 5) as ProgramData;
    const out = await runSimulation({ program: cohort, training: [cohort] }, { strategies: ["recorded", "optimal", "learned"], runs: 1, seed: 5, weights: defaultWeights(), bootstrap: 10, workers: 0 });
    const v = out.result.validation;
    expect(v.headline).toBe("out_of_time");
    expect(v.out_of_time!.method).toBe("intake_cohorts");
    expect(v.out_of_time!.tested_on).toMatch(/2026-0[45]/);
    expect(v.out_of_time!.test_labelled).toBeGreaterThanOrEqual(0.2 * out.result.model.labelled);
    expect(v.out_of_time!.auc!).toBeGreaterThan(0.75);
    expect(v.out_of_time!.calibration.length).toBe(10);
    // The recorded matching shares every later labelled pair with itself.
    expect(v.out_of_time!.strategies.find((s) => s.strategy === "recorded")!.shared).toBe(v.out_of_time!.test_labelled);
    expect(out.result.model.status === "ok" && out.result.model.held_out.method).toMatch(/5-fold/);
  });

  it("uses the earlier edition when there is one; learned trained on it beats optimal on the later edition in true success (20 seeds)", async () => {
    const diffs: number[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const earlier = matchingCohort({ ...small(MISMATCH_DEMO), programId: "mm-2025" }, 1000 + seed) as ProgramData;
      const laterCohort = matchingCohort({ ...small(MISMATCH_DEMO), programId: "mm-2026" }, seed);
      const later = laterCohort as ProgramData;
      const out = await runSimulation({ program: later, training: [earlier], earlier: [earlier] }, { strategies: ["optimal", "learned"], runs: 1, seed, weights: defaultWeights(), bootstrap: 10, workers: 0 });
      expect(out.result.validation.out_of_time!.method).toBe("editions");
      expect(out.result.validation.out_of_time!.auc!).toBeGreaterThan(0.7);
      diffs.push(trueMean(laterCohort, out.matching("learned")) - trueMean(laterCohort, out.matching("optimal")));
    }
    const mean = diffs.reduce((a, b) => a + b, 0) / SEEDS;
    const sd = Math.sqrt(diffs.reduce((a, b) => a + (b - mean) ** 2, 0) / (SEEDS - 1));
    expect(mean - (2.093 * sd) / Math.sqrt(SEEDS)).toBeGreaterThan(0);
  }, 60_000);

  it("falls back to cross-validation, saying why, with one edition and one intake month", async () => {
    const cohort = matchingCohort(small(LARGE_DEMO), 2) as ProgramData;
    const oneMonth: ProgramData = { ...cohort, pairs: cohort.pairs.map((p) => ({ ...p, matchedAt: "2026-03-05" })) };
    const out = await runSimulation({ program: oneMonth, training: [oneMonth] }, { strategies: ["optimal"], runs: 1, seed: 1, weights: defaultWeights(), bootstrap: 10, workers: 0 });
    expect(out.result.validation).toEqual({ headline: "cross_validation", out_of_time: null, out_of_time_reason: "one edition and one intake month only: no later cohort to test on" });
  });
});
