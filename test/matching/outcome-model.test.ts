import { describe, expect, it } from "vitest";
import { auc, brier, calibrationByDecile, fitLogistic, fitOutcomeModel, predict } from "../../analytics/matching/outcome-model.ts";
import { mulberry32 } from "../../analytics/matching/rng.ts";

/** n rows of p standard-normal-ish features and labels from a known logistic model. */
function synthetic(n: number, beta: number[], intercept: number, seed: number) {
  const rng = mulberry32(seed);
  const p = beta.length;
  const x = new Float64Array(n * p);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let eta = intercept;
    for (let k = 0; k < p; k++) {
      const v = (rng() + rng() + rng() - 1.5) * 2;
      x[i * p + k] = v;
      eta += beta[k] * v;
    }
    y[i] = rng() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  return { x, y, p };
}

describe("outcome model", () => {
  it("recovers known coefficients (large n, tiny penalty)", () => {
    const { x, y, p } = synthetic(20_000, [1.5, -0.8, 0], 0.3, 1);
    const m = fitLogistic(x, y, p, undefined, { l2: 1e-6 });
    expect(m.converged).toBe(true);
    expect(m.intercept).toBeCloseTo(0.3, 1);
    expect(m.coef[0]).toBeCloseTo(1.5, 1);
    expect(m.coef[1]).toBeCloseTo(-0.8, 1);
    expect(Math.abs(m.coef[2])).toBeLessThan(0.08);
    expect(predict(m, Float64Array.from([0, 0, 0]))).toBeCloseTo(1 / (1 + Math.exp(-m.intercept)), 12);
  });

  it("imputes a missing feature with its training mean and survives a constant one", () => {
    const { x, y, p } = synthetic(500, [1, 0.5], 0, 2);
    for (let i = 0; i < 500; i++) x[i * p + 1] = 7; // constant
    x[0] = NaN;
    const m = fitLogistic(x, y, p);
    expect(m.coef[1]).toBe(0);
    expect(Number.isFinite(m.intercept)).toBe(true);
    expect(Number.isNaN(m.impute[0])).toBe(false);
  });

  it("AUC, Brier and calibration on hand-made numbers", () => {
    const predicted = Float64Array.from([0.1, 0.4, 0.35, 0.8]);
    const y = Uint8Array.from([0, 0, 1, 1]);
    expect(auc(predicted, y)).toBe(0.75);
    expect(auc(Float64Array.from([0.5, 0.5]), Uint8Array.from([0, 1]))).toBe(0.5);
    expect(auc(predicted, Uint8Array.from([1, 1, 1, 1]))).toBeNull();
    expect(brier(predicted, y)).toBeCloseTo((0.01 + 0.16 + 0.4225 + 0.04) / 4, 12);
    const bins = calibrationByDecile(predicted, y, 2);
    expect(bins.map((b) => [b.bin, b.n, b.observed_rate])).toEqual([
      [1, 2, 0.5],
      [2, 2, 0.5],
    ]);
    expect(bins[0].mean_predicted).toBeCloseTo(0.225, 12);
    expect(bins[1].mean_predicted).toBeCloseTo(0.6, 12);
  });

  it("says 'insufficient data' below 30 labelled pairs or 5 of an outcome, with the counts", () => {
    const few = synthetic(29, [1], 0, 3);
    const r1 = fitOutcomeModel(few.x, few.y, ["a"], { seed: 1 });
    expect(r1.status).toBe("insufficient_data");
    if (r1.status === "insufficient_data") {
      expect(r1.labelled).toBe(29);
      expect(r1.successes + r1.failures).toBe(29);
      expect(r1.message).toMatch(/29 labelled/);
    }
    const x = new Float64Array(100).map((_, i) => i);
    const y = new Uint8Array(100);
    for (let i = 0; i < 4; i++) y[i] = 1;
    const r2 = fitOutcomeModel(x, y, ["a"], { seed: 1 });
    expect(r2).toMatchObject({ status: "insufficient_data", labelled: 100, successes: 4, failures: 96 });
  });

  it("is deterministic for a seed: cross-validation and bootstrap", () => {
    const { x, y, p } = synthetic(300, [1, -1], 0, 4);
    const names = ["a", "b"];
    const a = fitOutcomeModel(x, y, names, { seed: 9, bootstrap: 50 });
    const b = fitOutcomeModel(x, y, names, { seed: 9, bootstrap: 50 });
    expect(a).toEqual(b);
    if (a.status !== "ok") throw new Error("expected a fit");
    expect(a.heldOut.auc).toBeGreaterThan(0.7);
    expect(a.heldOut.brier).toBeLessThan(a.heldOut.brier_base_rate);
    expect(a.effects[0].per_sd_ci[0]).toBeLessThan(a.effects[0].per_sd);
    expect(a.effects[0].per_sd_ci[1]).toBeGreaterThan(a.effects[0].per_sd);
    expect(p).toBe(2);
  });
});
