/**
 * The sparse mode of the simulations (issue 15, item 5): above the dense limit every strategy
 * runs on a candidate graph with scores computed on demand. Forced here with a low limit
 * (maxDensePairs) so that the dense results can be computed beside it.
 */
import { describe, expect, it } from "vitest";
import { resultView } from "../../analytics/dashboards/simulations.server.ts";
import { sparseText } from "../../analytics/matching/format.ts";
import { sparseNoteLines } from "../../app/components/simulations/sparse-note.ts";
import { runSimulation, type SimulationOutput } from "../../analytics/matching/simulation.ts";
import { STRATEGIES, type StrategyName } from "../../analytics/matching/strategies.ts";
import type { ProgramData } from "../../analytics/matching/types.ts";
import { defaultWeights, parseWeights, type Weights } from "../../analytics/matching/weights.ts";
import { matchingCohort } from "../../seeds/matching-cohort.ts";
import { LARGE_DEMO } from "../../seeds/programs.ts";

const cohort = (mentors: number, mentees: number, seed: number) => matchingCohort({ ...LARGE_DEMO, mentors, mentees }, seed) as ProgramData;

function withCapacity(capacity: number): Weights {
  const base = defaultWeights();
  return parseWeights({ ...base, constraints: { ...base.constraints, mentor_capacity: capacity } });
}

async function simulate(program: ProgramData, weights: Weights, extra: { maxDensePairs?: number; sparseK?: number; strategies?: readonly StrategyName[]; quotas?: Record<string, number> } = {}) {
  return runSimulation(
    { program, training: [program] },
    { strategies: extra.strategies ?? STRATEGIES, runs: 3, seed: 11, weights, bootstrap: 20, workers: 0, maxDensePairs: extra.maxDensePairs, sparseK: extra.sparseK, quotas: extra.quotas },
  );
}

/** Total compatibility and pairs of a strategy's matching. */
function totalOf(out: SimulationOutput, strategy: StrategyName, weight: (i: number, j: number) => number = out.scoreOf) {
  const m = out.matching(strategy);
  let total = 0;
  for (let k = 0; k < m.mentee.length; k++) total += weight(m.mentee[k], m.mentor[k]);
  return { pairs: m.mentee.length, total };
}

/** Every pair allowed, no mentee twice, no mentor above capacity. */
function checkFeasible(out: SimulationOutput, strategy: StrategyName, capacity: number) {
  const m = out.matching(strategy);
  const load = new Map<number, number>();
  for (let k = 0; k < m.mentee.length; k++) {
    expect(out.scoreOf(m.mentee[k], m.mentor[k])).not.toBe(-Infinity);
    load.set(m.mentor[k], (load.get(m.mentor[k]) ?? 0) + 1);
  }
  expect(new Set(m.mentee).size).toBe(m.mentee.length);
  for (const n of load.values()) expect(n).toBeLessThanOrEqual(capacity);
}

describe("sparse mode, k ≥ the cohort (every allowed pair is a candidate)", () => {
  const program = cohort(50, 80, 3);
  const weights = withCapacity(2);

  it("gives the dense results: the same matchings for random, greedy and stable, the same totals for optimal, reach and learned", async () => {
    const dense = await simulate(program, weights);
    const sparse = await simulate(program, weights, { maxDensePairs: 100, sparseK: 200 });
    expect(dense.result.sparse).toBeUndefined();
    expect(sparse.result.sparse).toMatchObject({ k: 200, dense_limit: 100, gap_to_dense: 0 });
    expect(sparse.scores.length).toBe(0);
    for (const s of ["recorded", "random", "greedy", "stable"] as const) {
      expect(Array.from(sparse.matching(s).mentor), s).toEqual(Array.from(dense.matching(s).mentor));
      expect(Array.from(sparse.matching(s).mentee), s).toEqual(Array.from(dense.matching(s).mentee));
      const a = sparse.result.strategies.find((r) => r.strategy === s)!;
      const b = dense.result.strategies.find((r) => r.strategy === s)!;
      expect(a, s).toEqual(b);
    }
    for (const s of ["optimal", "reach"] as const) {
      const a = totalOf(sparse, s);
      const b = totalOf(dense, s);
      expect(a.pairs, s).toBe(b.pairs);
      if (s === "optimal") expect(a.total).toBeCloseTo(b.total, 9);
    }
    // reach and learned: their own weights' totals match (the matchings may differ among ties).
    const reachWeight = (out: SimulationOutput) => (i: number, j: number) => {
      const e = out.enc;
      const bonus = (e.mentors.generation[j] !== e.mentees.generation[i] ? weights.reach_bonus.cross_generation : 0) + (e.mentors.org[j] !== e.mentees.org[i] ? weights.reach_bonus.cross_company : 0);
      return out.scoreOf(i, j) + bonus;
    };
    expect(totalOf(sparse, "reach", reachWeight(sparse)).total).toBeCloseTo(totalOf(dense, "reach", reachWeight(dense)).total, 9);
    const learnedDense = dense.result.strategies.find((r) => r.strategy === "learned")!;
    const learnedSparse = sparse.result.strategies.find((r) => r.strategy === "learned")!;
    expect(learnedSparse.pairs.mean).toBe(learnedDense.pairs.mean);
    expect(learnedSparse.expected_successes.mean!).toBeCloseTo(learnedDense.expected_successes.mean!, 1);
  });
});

describe("sparse mode on a mid-size cohort (k = 32)", () => {
  const program = cohort(700, 760, 5);

  it("runs every strategy within the constraints, says it is sparse, and stays close to the dense optimum", async () => {
    const out = await simulate(program, withCapacity(1), { maxDensePairs: 10_000 });
    const info = out.result.sparse!;
    expect(info.k).toBe(32);
    expect(info.candidates).toBeLessThan(0.2 * 700 * 760);
    expect(info.candidates).toBeGreaterThanOrEqual(32 * 760);
    expect(info.notes).toContain("blocking_pairs_candidates");
    expect(info.gap_to_dense).not.toBeNull();
    expect(info.gap_to_dense!).toBeLessThan(0.01);
    expect(out.result.strategies.map((s) => s.strategy)).toEqual([...STRATEGIES]);
    for (const s of STRATEGIES) if (s !== "recorded") checkFeasible(out, s, 1);
    const row = (s: string) => out.result.strategies.find((r) => r.strategy === s)!;
    // 700 mentors of capacity 1 for 760 mentees: the assigning strategies fill every mentor.
    for (const s of ["optimal", "reach", "learned", "greedy", "stable"]) expect(row(s).pairs.mean, s).toBe(700);
    expect(row("optimal").compatibility_mean.mean!).toBeGreaterThan(row("greedy").compatibility_mean.mean!);
    expect(row("optimal").compatibility_mean.mean!).toBeGreaterThan(row("random").compatibility_mean.mean! + 0.1);
    expect(row("learned").expected_successes.mean!).toBeGreaterThan(row("optimal").expected_successes.mean!);
    expect(row("stable").blocking_pairs.mean).toBe(0);
  }, 60_000);
});

describe("sparse mode and quotas", () => {
  const program = cohort(60, 70, 8);
  const quotas = { cross_generation: 0.5 };

  it("does not price quotas, and says why with a code the page translates", async () => {
    const sparse = await simulate(program, withCapacity(1), { maxDensePairs: 100, strategies: ["optimal", "learned"], quotas });
    expect(sparse.result.quotas).toMatchObject({ strategies: [], note_code: "sparse_mode" });
    expect(sparse.result.sparse!.notes).toEqual(["blocking_pairs_candidates", "quotas_not_priced"]);
    const dense = await simulate(program, withCapacity(1), { strategies: ["optimal", "learned"], quotas });
    expect(dense.result.quotas!.note_code).toBeUndefined();
    expect(dense.result.quotas!.strategies.map((s) => s.strategy)).toEqual(["optimal", "learned"]);
  }, 60_000);
});

describe("the sparse flag in the page's view and the JSON", () => {
  it("is in the stored result and in every audience's view", async () => {
    const program = cohort(40, 45, 2);
    const out = await simulate(program, withCapacity(1), { maxDensePairs: 100, strategies: ["optimal", "greedy"] });
    const json = JSON.parse(JSON.stringify(out.result));
    expect(json.sparse).toMatchObject({ k: 32, dense_limit: 100, pairs: 40 * 45 });
    for (const audience of ["admin", "hr"] as const) expect(resultView(out.result, audience, null).sparse).toEqual(json.sparse);
    const dense = await simulate(program, withCapacity(1), { strategies: ["optimal"] });
    expect(resultView(dense.result, "admin", null).sparse).toBeNull();
    expect(sparseNoteLines(resultView(dense.result, "admin", null).sparse, dense.result.program, "en")).toEqual([]);
    expect(sparseText(dense.result)).toBe("");
  });

  it("is said on the page in English and in French, with the gap and the notes, and in the CLI's text", async () => {
    const program = cohort(40, 45, 2);
    const out = await simulate(program, withCapacity(1), { maxDensePairs: 100, strategies: ["optimal", "greedy"], quotas: { cross_company: 0.5 } });
    const view = resultView(out.result, "hr", "x");
    const en = sparseNoteLines(view.sparse, view.program, "en");
    const fr = sparseNoteLines(view.sparse, view.program, "fr");
    expect(en[0]).toMatch(/sparse mode .*40 mentors × 45 mentees.*above the 100 pairs.*32 most compatible mentors.*of 1,800 possible/);
    expect(fr[0]).toMatch(/mode creux .*40 mentors × 45 mentorés.*32 mentors les plus compatibles.*sur 1\u202f?\s?800 possibles/);
    expect(en[1]).toMatch(/full optimum, computed for this program: 0(\.00)? ?% lower/);
    expect(fr[1]).toMatch(/optimum complet, calculé pour ce programme/);
    expect(en.slice(2)).toEqual([expect.stringMatching(/^Blocking pairs are counted among the candidate pairs only/), expect.stringMatching(/^Quotas are not priced in sparse mode/)]);
    expect(fr.slice(2)).toEqual([expect.stringMatching(/^Les paires bloquantes/), expect.stringMatching(/^Les quotas ne sont pas chiffrés en mode creux/)]);
    expect(sparseText(out.result)).toMatch(/^Sparse mode: 40 × 45 pairs is above the dense limit \(100\).*quotas are not priced/);
    // Above the dense limit for real, the gap cannot be computed: the page says so.
    const big = { ...view.sparse!, gap_to_dense: null };
    expect(sparseNoteLines(big, view.program, "en")[1]).toMatch(/too large to compute/);
    expect(sparseNoteLines(big, view.program, "fr")[1]).toMatch(/trop grand pour être calculé/);
  });
});
