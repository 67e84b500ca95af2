import { describe, expect, it } from "vitest";
import { encodeProgram, scoreProgram, type ScoredProblem } from "../../analytics/matching/compatibility.ts";
import { countBlockingPairs } from "../../analytics/matching/evaluate.ts";
import { mulberry32 } from "../../analytics/matching/rng.ts";
import {
  greedyStrategy,
  optimalStrategy,
  randomStrategy,
  stablePreferences,
  stableStrategy,
} from "../../analytics/matching/strategies.ts";
import type { Participant, StrategyResult } from "../../analytics/matching/types.ts";
import { defaultWeights, parseWeights, WeightsError, type Weights } from "../../analytics/matching/weights.ts";

type Rng = () => number;

/** A random scored problem with few distinct scores (many ties), forbidden cells and capacities. */
function randomProblem(rng: Rng, rows: number, cols: number, forbiddenRate: number, maxCapacity: number): ScoredProblem {
  const scores = new Float64Array(rows * cols);
  for (let k = 0; k < scores.length; k++) scores[k] = rng() < forbiddenRate ? -Infinity : Math.floor(rng() * 6) / 5;
  const capacities = Int32Array.from({ length: cols }, () => Math.floor(rng() * (maxCapacity + 1)));
  return { rows, cols, scores, capacities, warnings: [] };
}

function checkFeasible(problem: ScoredProblem, result: StrategyResult) {
  const load = new Int32Array(problem.cols);
  const seen = new Set<number>();
  for (let k = 0; k < result.mentee.length; k++) {
    const i = result.mentee[k];
    const j = result.mentor[k];
    expect(seen.has(i), `mentee ${i} matched twice`).toBe(false);
    seen.add(i);
    expect(problem.scores[i * problem.cols + j], `forbidden pair ${i}–${j}`).not.toBe(-Infinity);
    load[j]++;
  }
  for (let j = 0; j < problem.cols; j++) expect(load[j], `mentor ${j} over capacity`).toBeLessThanOrEqual(problem.capacities[j]);
  const unmatched = new Set(result.unmatched);
  for (let i = 0; i < problem.rows; i++) expect(seen.has(i) !== unmatched.has(i)).toBe(true);
}

function total(problem: ScoredProblem, result: StrategyResult): number {
  let sum = 0;
  for (let k = 0; k < result.mentee.length; k++) sum += problem.scores[result.mentee[k] * problem.cols + result.mentor[k]];
  return sum;
}

/** Brute force: the most pairs, then the best total, with capacities (tiny instances). */
function bruteForce(problem: ScoredProblem): { pairs: number; total: number } {
  const left = Array.from(problem.capacities);
  let best = { pairs: -1, total: -Infinity };
  const go = (i: number, pairs: number, sum: number) => {
    if (i === problem.rows) {
      if (pairs > best.pairs || (pairs === best.pairs && sum > best.total + 1e-12)) best = { pairs, total: sum };
      return;
    }
    go(i + 1, pairs, sum);
    for (let j = 0; j < problem.cols; j++) {
      const s = problem.scores[i * problem.cols + j];
      if (s === -Infinity || left[j] === 0) continue;
      left[j]--;
      go(i + 1, pairs + 1, sum + s);
      left[j]++;
    }
  };
  go(0, 0, 0);
  return best;
}

describe("strategies on random instances with capacities and forbidden pairs", () => {
  const rng = mulberry32(42);
  const instances = Array.from({ length: 60 }, (_, t) =>
    randomProblem(rng, 3 + Math.floor(rng() * 40), 2 + Math.floor(rng() * 30), t % 3 === 0 ? 0 : 0.3, 1 + (t % 3)),
  );

  it("stable has zero blocking pairs, whatever the seed", () => {
    for (const problem of instances) {
      const prefs = stablePreferences(problem);
      for (const seed of [1, 2, 3]) {
        const result = stableStrategy(problem, seed, prefs);
        expect(countBlockingPairs(problem, result)).toBe(0);
      }
    }
  });

  it("no strategy exceeds a capacity, uses a forbidden pair or matches a mentee twice", () => {
    for (const problem of instances) {
      checkFeasible(problem, randomStrategy(problem, 7));
      checkFeasible(problem, greedyStrategy(problem));
      checkFeasible(problem, optimalStrategy(problem));
      checkFeasible(problem, stableStrategy(problem, 7));
    }
  });

  it("the same seed gives the same matching; another seed may not", () => {
    let differs = 0;
    for (const problem of instances) {
      for (const strategy of [randomStrategy, stableStrategy]) {
        const a = strategy(problem, 11);
        const b = strategy(problem, 11);
        expect(Array.from(a.mentor)).toEqual(Array.from(b.mentor));
        expect(Array.from(a.mentee)).toEqual(Array.from(b.mentee));
        const c = strategy(problem, 12);
        if (Array.from(c.mentor).join() !== Array.from(a.mentor).join()) differs++;
      }
    }
    expect(differs).toBeGreaterThan(10);
  });

  it("optimal has the most pairs, then the best total (brute force on tiny instances); greedy never beats it", () => {
    const small = mulberry32(5);
    for (let t = 0; t < 150; t++) {
      const problem = randomProblem(small, 1 + Math.floor(small() * 5), 1 + Math.floor(small() * 4), 0.25, 2);
      const best = bruteForce(problem);
      const optimal = optimalStrategy(problem);
      expect(optimal.mentee.length).toBe(best.pairs);
      expect(total(problem, optimal)).toBeCloseTo(best.total, 9);
      const greedy = greedyStrategy(problem);
      expect(greedy.mentee.length).toBeLessThanOrEqual(best.pairs);
      if (greedy.mentee.length === best.pairs) expect(total(problem, greedy)).toBeLessThanOrEqual(best.total + 1e-9);
    }
  });
});

describe("greedy and optimal on hand-made cases", () => {
  // Mentees a, b; mentors x, y. Greedy takes a–x (0.9) first and leaves b–y (0.1): 1.0.
  // Optimal takes a–y + b–x = 0.8 + 0.8 = 1.6.
  const problem: ScoredProblem = {
    rows: 2,
    cols: 2,
    scores: Float64Array.from([0.9, 0.8, 0.8, 0.1]),
    capacities: Int32Array.from([1, 1]),
    warnings: [],
  };
  it("greedy takes the highest score first", () => {
    const g = greedyStrategy(problem);
    expect(Array.from(g.mentee)).toEqual([0, 1]);
    expect(Array.from(g.mentor)).toEqual([0, 1]);
    expect(total(problem, g)).toBeCloseTo(1.0, 12);
  });
  it("optimal maximises the total", () => {
    const o = optimalStrategy(problem);
    expect(total(problem, o)).toBeCloseTo(1.6, 12);
    // Greedy is stable here (a and x prefer each other); optimal is not.
    expect(countBlockingPairs(problem, greedyStrategy(problem))).toBe(0);
    expect(countBlockingPairs(problem, o)).toBe(1);
  });
  it("a mentor with capacity 2 takes both mentees; capacity 0 takes none", () => {
    const p2 = { ...problem, capacities: Int32Array.from([2, 0]) };
    for (const r of [greedyStrategy(p2), optimalStrategy(p2), stableStrategy(p2, 1), randomStrategy(p2, 1)]) {
      expect(Array.from(r.mentor)).toEqual([0, 0]);
    }
  });
  it("a mentee whose every pair is forbidden stays unmatched", () => {
    const p3 = { ...problem, scores: Float64Array.from([-Infinity, -Infinity, 0.5, 0.4]) };
    for (const r of [greedyStrategy(p3), optimalStrategy(p3), stableStrategy(p3, 1), randomStrategy(p3, 1)]) {
      expect(Array.from(r.unmatched)).toEqual([0]);
      expect(Array.from(r.mentee)).toEqual([1]);
    }
  });
});

describe("compatibility model", () => {
  const person = (id: string, over: Partial<Participant>): Participant => ({
    id,
    orgId: "A",
    birthYear: 1990,
    jobLevel: 3,
    city: "Lyon",
    languages: ["fr"],
    topics: [],
    ...over,
  });
  const mentors = [
    person("M1", { birthYear: 1975, topics: ["T1", "T2"], orgId: "B" }),
    person("M2", { birthYear: 1998, topics: ["T1"], city: "Paris", languages: ["en"] }),
  ];
  const mentees = [person("E1", { birthYear: 1990, topics: ["T1", "T2"] }), person("E2", { birthYear: 1970, topics: ["T3"] })];

  it("scores a perfect pair 1 and stays in [0, 1]", () => {
    const w = defaultWeights();
    const { scores } = scoreProgram(encodeProgram("inter", mentors, mentees), w);
    // M1–E1: topic fit 1, gap 15 (target), same city, shared language, cross-company, same level.
    expect(scores[0 * 2 + 0]).toBe(1);
    for (const s of scores) expect(s >= 0 && s <= 1).toBe(true);
  });

  it("applies the hard constraints: reverse mentoring, min age gap, required cross-company, forbidden pairs, capacities", () => {
    const base = defaultWeights();
    const noReverse: Weights = { ...base, age_gap: { ...base.age_gap, reverse_mentoring: false } };
    let p = scoreProgram(encodeProgram("intra", mentors, mentees), noReverse);
    expect(p.scores[0 * 2 + 1]).toBe(-Infinity); // M2 (1998) younger than E1 (1990)
    expect(p.scores[1 * 2 + 0]).toBe(-Infinity); // M1 (1975) younger than E2 (1970)
    const minGap: Weights = { ...base, constraints: { ...base.constraints, min_age_gap_years: 10 } };
    p = scoreProgram(encodeProgram("intra", mentors, mentees), minGap);
    expect(p.scores[0 * 2 + 1]).toBe(-Infinity); // |1990 − 1998| = 8 < 10
    expect(p.scores[0 * 2 + 0]).toBeGreaterThan(0);
    const require: Weights = { ...base, cross_company: { intra: "require", inter: "require" } };
    p = scoreProgram(encodeProgram("intra", mentors, mentees), require);
    expect(p.scores[0 * 2 + 1]).toBe(-Infinity); // M2 and E1 both at A
    expect(p.scores[0 * 2 + 0]).toBeGreaterThan(0);
    const forbid: Weights = {
      ...base,
      constraints: {
        ...base.constraints,
        mentor_capacity: 2,
        mentor_capacities: { M2: 3, NOPE: 1 },
        forbidden_pairs: [{ mentor_id: "M1", mentee_id: "E1" }, { mentor_id: "M9", mentee_id: "E1" }],
      },
    };
    p = scoreProgram(encodeProgram("intra", mentors, mentees), forbid);
    expect(p.scores[0]).toBe(-Infinity);
    expect(Array.from(p.capacities)).toEqual([2, 3]);
    expect(p.warnings).toHaveLength(2);
  });

  it("validates the weights file with errors that name the field", () => {
    const bad = structuredClone(defaultWeights()) as Record<string, any>;
    bad.weights.topic_fit = -1;
    bad.cross_company.intra = "sometimes";
    bad.extra = 1;
    try {
      parseWeights(bad, "weights file w.json");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WeightsError);
      const message = (error as Error).message;
      expect(message).toContain("invalid weights file w.json");
      expect(message).toContain("weights.topic_fit");
      expect(message).toContain("cross_company.intra");
      expect(message).toMatch(/extra/);
    }
  });
});
