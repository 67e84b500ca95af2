/**
 * Quotas (issue 15, item 3): never violated on random seeded instances, infeasible quotas
 * named with the reason, and the exact integer program equal to a brute-force optimum on small
 * instances (the most pairs, then the largest total weight, under capacities, forbidden pairs
 * and quotas).
 */
import { describe, expect, it } from "vitest";
import { quotaPrices, quotaViolations, solveWithQuotas, type QuotaInstance, type Quotas } from "../../analytics/matching/quotas.ts";
import { mulberry32 } from "../../analytics/matching/rng.ts";

function randomInstance(seed: number, rows: number, cols: number): QuotaInstance {
  const rng = mulberry32(seed);
  const orgs = ["A", "B", "C"];
  const gens = ["x", "y"];
  const menteeOrg = Array.from({ length: rows }, () => orgs[Math.floor(rng() * orgs.length)]);
  const menteeGeneration = Array.from({ length: rows }, () => gens[Math.floor(rng() * gens.length)]);
  const mentorOrg = Array.from({ length: cols }, () => orgs[Math.floor(rng() * orgs.length)]);
  const mentorGeneration = Array.from({ length: cols }, () => gens[Math.floor(rng() * gens.length)]);
  const weights = new Float64Array(rows * cols);
  const crossGeneration = new Uint8Array(rows * cols);
  const crossCompany = new Uint8Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      weights[i * cols + j] = rng() < 0.2 ? -Infinity : Math.round(rng() * 100) / 100;
      crossGeneration[i * cols + j] = menteeGeneration[i] !== mentorGeneration[j] ? 1 : 0;
      crossCompany[i * cols + j] = menteeOrg[i] !== mentorOrg[j] ? 1 : 0;
    }
  }
  const capacities = Int32Array.from({ length: cols }, () => Math.floor(rng() * 3));
  return { rows, cols, weights, capacities, menteeOrg, menteeGeneration, crossGeneration, crossCompany };
}

/** Every assignment (each mentee: no mentor or an allowed one with room): the best by (pairs, total). */
function bruteForce(inst: QuotaInstance, quotas: Quotas): { pairs: number; total: number } | null {
  let best: { pairs: number; total: number } | null = null;
  const choice = new Int32Array(inst.rows).fill(-1);
  const load = new Int32Array(inst.cols);
  const visit = (i: number) => {
    if (i === inst.rows) {
      const mentee: number[] = [];
      const mentor: number[] = [];
      let total = 0;
      choice.forEach((j, r) => {
        if (j >= 0) {
          mentee.push(r);
          mentor.push(j);
          total += inst.weights[r * inst.cols + j];
        }
      });
      if (quotaViolations(inst, quotas, Int32Array.from(mentee), Int32Array.from(mentor)).length > 0) return;
      if (!best || mentee.length > best.pairs || (mentee.length === best.pairs && total > best.total + 1e-12)) best = { pairs: mentee.length, total };
      return;
    }
    choice[i] = -1;
    visit(i + 1);
    for (let j = 0; j < inst.cols; j++) {
      if (inst.weights[i * inst.cols + j] === -Infinity || load[j] >= inst.capacities[j]) continue;
      choice[i] = j;
      load[j]++;
      visit(i + 1);
      load[j]--;
      choice[i] = -1;
    }
  };
  visit(0);
  return best;
}

const QUOTA_SETS: Quotas[] = [
  {},
  { cross_generation: 0.75 },
  { cross_company: 0.8 },
  { organization_coverage: 0.5 },
  { generation_coverage: 0.6 },
  { cross_generation: 0.5, cross_company: 0.5, organization_coverage: 0.4, generation_coverage: 0.4 },
];

describe("quotas", () => {
  it("match a brute-force optimum on small instances, or are infeasible exactly when brute force finds nothing", async () => {
    let compared = 0;
    let infeasible = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const inst = randomInstance(seed, 6, 4);
      for (const quotas of QUOTA_SETS) {
        const exact = await solveWithQuotas(inst, quotas);
        const brute = bruteForce(inst, quotas);
        if (brute === null) {
          expect(exact.status).toBe("infeasible");
          infeasible++;
          continue;
        }
        expect(exact.status).toBe("optimal");
        if (exact.status !== "optimal") continue;
        expect(exact.pairs).toBe(brute.pairs);
        expect(exact.total).toBeCloseTo(brute.total, 9);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(50);
    expect(infeasible + compared).toBe(12 * QUOTA_SETS.length);
  }, 60_000);

  it("are never violated on random seeded instances (40 × 30)", async () => {
    for (let seed = 100; seed < 110; seed++) {
      const inst = randomInstance(seed, 40, 30);
      for (const quotas of QUOTA_SETS) {
        const s = await solveWithQuotas(inst, quotas);
        if (s.status === "optimal") expect(quotaViolations(inst, quotas, s.mentee, s.mentor)).toEqual([]);
        else expect(s.status).toBe("infeasible");
      }
    }
  }, 60_000);

  it("name the group an infeasible coverage quota cannot reach, and why", async () => {
    const inst = randomInstance(7, 6, 4);
    // Organization A's mentees may meet no mentor at all.
    inst.menteeOrg = inst.menteeOrg.map((_, i) => (i < 2 ? "A" : "B"));
    for (let j = 0; j < inst.cols; j++) {
      inst.weights[0 * inst.cols + j] = -Infinity;
      inst.weights[1 * inst.cols + j] = -Infinity;
    }
    const s = await solveWithQuotas(inst, { organization_coverage: 0.5 });
    expect(s.status).toBe("infeasible");
    if (s.status === "infeasible") {
      expect(s.reasons).toEqual(["organization_coverage: organization A has 2 mentees; at most 0 can be matched (allowed mentors and capacities), the quota needs 1"]);
      expect(s.details).toEqual([{ code: "group_unreachable", quota: "organization_coverage", dimension: "organization", group: "A", mentees: 2, reachable: 0, need: 1 }]);
    }
    await expect(solveWithQuotas(inst, { cross_generation: 1.5 })).rejects.toThrow(/invalid quota/);
  });

  it("price each quota as the brute-force drop in expected successes, with an interval that holds the point", async () => {
    let checked = 0;
    for (let seed = 20; seed < 30; seed++) {
      const inst = randomInstance(seed, 6, 4);
      // The judge: the weights as success probabilities, under a point model and 20 rescaled refits.
      const judge = (mentee: Int32Array, mentor: Int32Array) =>
        Float64Array.from({ length: 21 }, (_, r) => {
          let s = 0;
          for (let k = 0; k < mentee.length; k++) s += inst.weights[mentee[k] * inst.cols + mentor[k]] * (1 + (r === 0 ? 0 : ((r % 5) - 2) * 0.02));
          return s;
        });
      const quotas = { cross_generation: 0.9, organization_coverage: 0.5 };
      const { baseline, prices } = await quotaPrices(inst, quotas, judge);
      expect(baseline.status).toBe("optimal");
      expect(prices.map((p) => p.quota)).toEqual(["cross_generation", "organization_coverage", "all"]);
      const none = bruteForce(inst, {})!;
      for (const p of prices) {
        const brute = bruteForce(inst, p.quota === "all" ? quotas : { [p.quota]: quotas[p.quota as keyof typeof quotas] });
        if (brute === null) {
          expect(p.status).toBe("infeasible");
          expect(p.reasons.length).toBeGreaterThan(0);
          continue;
        }
        expect(p.status).toBe("optimal");
        expect(p.price!).toBeCloseTo(none.total - brute.total, 9);
        expect(p.price_interval![0]).toBeLessThanOrEqual(p.price! + 1e-9);
        expect(p.price_interval![1]).toBeGreaterThanOrEqual(p.price! - 1e-9);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  }, 60_000);
});

describe("quotas in a simulation", () => {
  it("price each quota for optimal and learned, and parse the CLI's list", async () => {
    const { runSimulation } = await import("../../analytics/matching/simulation.ts");
    const { defaultWeights } = await import("../../analytics/matching/weights.ts");
    const { parseQuotas } = await import("../../analytics/matching/quota-run.ts");
    const { matchingCohort } = await import("../../seeds/matching-cohort.ts");
    const { OCTAVE_DEMO } = await import("../../seeds/programs.ts");
    expect(parseQuotas("cross_generation=0.9, cross_company=50%")).toEqual({ cross_generation: 0.9, cross_company: 0.5 });
    expect(() => parseQuotas("cross_generation=1.5")).toThrow(/between 0 and 1/);
    expect(() => parseQuotas("loyalty=0.5")).toThrow(/unknown quota/);
    const cohort = matchingCohort({ ...OCTAVE_DEMO, mentors: 60, mentees: 66 }, 4) as never;
    const out = await runSimulation(
      { program: cohort, training: [cohort] },
      { strategies: ["optimal", "learned"], runs: 1, seed: 4, weights: defaultWeights(), bootstrap: 20, workers: 0, quotas: { cross_generation: 0.95, generation_coverage: 1 } },
    );
    const q = out.result.quotas!;
    expect(q.strategies.map((s) => s.strategy)).toEqual(["optimal", "learned"]);
    for (const s of q.strategies) {
      expect(s.prices.map((p) => p.quota)).toEqual(["cross_generation", "generation_coverage", "all"]);
      for (const p of s.prices) {
        if (p.status === "optimal") expect(p.price_interval).not.toBeNull();
        else expect(p.reasons.length).toBeGreaterThan(0);
      }
    }
    expect(out.result.parameters.quotas).toEqual({ cross_generation: 0.95, generation_coverage: 1 });
  }, 60_000);
});
