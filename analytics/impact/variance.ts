/**
 * The analytic variance of the impact figures (decision 0020): the delta method for the
 * Poisson bootstrap. Under that bootstrap every record (a group of N_r people with the same
 * side, cell, time and status) is drawn Poisson(N_r) times, independently; the estimate θ is a
 * smooth function of those counts (the balancing's weights included), so to first order
 * Var(θ) = Σ_r (∂θ/∂N_r)² N_r — the variance the bootstrap's resamples scatter around, without
 * the resamples. ∂θ/∂N_r is the influence of one more person in record r:
 *
 * - on a Kaplan–Meier S(t) = Π (1 − D_k/W_k) with weight w per person of the record (time τ,
 *   event e): ∂ log S / ∂N_r = w · h_r, h_r = Σ_{u_k ≤ min(τ, t)} D_k / (W_k (W_k − D_k)) −
 *   e · 1(τ ≤ t) / (W_τ − D_τ) (Greenwood's terms);
 * - on the reweighted comparison through the weights: w_c ∝ exp(λ·x_c), and λ solves
 *   G(λ) = E_q[x] − x̄₁ = 0 (balance.ts), so by the implicit function theorem dλ = −H⁻¹ ∂G with
 *   H = Cov_q(x); ∂G/∂(one more comparison person in c) = (w_c / n₁)(x_c − x̄₁) and
 *   ∂G/∂(one more participant in c) = −(x_c − x̄₁) / n₁; d log S₀ = a·dλ with
 *   a = Σ_c w_c g_c x_c, g_c = ∂ log S₀ / ∂w_c = Σ_{r ∈ c} N_r h_r.
 *
 * A participant thus moves both curves (its own, and the comparison's target), and the
 * variance of the effect keeps that covariance. Pure.
 */
import { solve, type BalanceWeights } from "./balance.ts";

/** The records of one comparison, sorted by time (estimate.ts's Comparison). */
export interface VarianceRecords {
  cell: Int32Array;
  /** 1 participant, 0 comparison. */
  side: Uint8Array;
  time: Float64Array;
  event: Uint8Array;
  n: Float64Array;
}

export interface Linearized {
  /** Survival of the participants and of the reweighted comparison at t. */
  s1: number;
  s0: number;
  /** Their variances and that of s1 − s0 (the effect's, up to the sign). */
  var1: number;
  var0: number;
  varEffect: number;
}

/** h_r (see above) of every record for one weighted Kaplan–Meier at t (weights per record), and S(t). */
function greenwoodTerms(recs: VarianceRecords, weight: Float64Array, t: number, h: Float64Array): number {
  const { time, event, n } = recs;
  const len = n.length;
  let atRisk = 0;
  for (let i = 0; i < len; i++) atRisk += n[i] * weight[i];
  let survival = 1;
  let cumulative = 0;
  for (let i = 0; i < len; ) {
    const tk = time[i];
    let d = 0;
    let c = 0;
    let j = i;
    for (; j < len && time[j] === tk; j++) {
      const w = n[j] * weight[j];
      if (event[j]) d += w;
      else c += w;
    }
    const inside = tk <= t;
    const left = atRisk - d;
    if (inside && atRisk > 0 && d > 0) {
      survival *= 1 - d / atRisk;
      if (left > 0) cumulative += d / (atRisk * left);
    }
    const eventTerm = inside && left > 0 ? 1 / left : 0;
    for (; i < j; i++) h[i] = cumulative - (event[i] && inside ? eventTerm : 0);
    atRisk -= d + c;
  }
  return survival;
}

/** Per-record weights and scratch buffers of one point estimate, reused across times. */
export interface LinearizeScratch {
  w1: Float64Array;
  w0: Float64Array;
  h1: Float64Array;
  h0: Float64Array;
}

export function linearizeScratch(recs: VarianceRecords, balance: BalanceWeights): LinearizeScratch {
  const { cell, side } = recs;
  const len = cell.length;
  const w1 = new Float64Array(len);
  const w0 = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    if (side[i]) w1[i] = balance.keptTreated[cell[i]] ? 1 : 0;
    else w0[i] = balance.weights[cell[i]];
  }
  return { w1, w0, h1: new Float64Array(len), h0: new Float64Array(len) };
}

/**
 * The linearized variances at time t for a point estimate whose balancing is `balance` (over
 * cells with `nf` factors).
 */
export function linearize(recs: VarianceRecords, balance: BalanceWeights, nf: number, t: number, scratch: LinearizeScratch = linearizeScratch(recs, balance)): Linearized {
  const { cell, side, n } = recs;
  const len = n.length;
  const w = balance.weights;
  const kept = balance.keptTreated;
  const n1 = balance.keptTreatedCount;
  const { h1, h0 } = scratch;
  const s1 = greenwoodTerms(recs, scratch.w1, t, h1);
  const s0 = greenwoodTerms(recs, scratch.w0, t, h0);
  // Through the weights: g_c, then a = Σ_c w_c g_c x_c, H = Cov_q(x), v = H⁻¹ a.
  const nCells = w.length;
  const g = new Float64Array(nCells);
  const mass = new Float64Array(nCells);
  for (let i = 0; i < len; i++) {
    if (side[i]) continue;
    g[cell[i]] += n[i] * h0[i];
    mass[cell[i]] += n[i] * w[cell[i]];
  }
  const d = balance.lambda.length;
  const { design, target } = balance;
  let u = new Float64Array(nCells);
  if (d > 0) {
    const a = new Float64Array(d);
    const mean = new Float64Array(d);
    const hess = Array.from({ length: d }, () => new Float64Array(d));
    let total = 0;
    for (let c = 0; c < nCells; c++) total += mass[c];
    for (let c = 0; c < nCells; c++) {
      if (w[c] <= 0) continue;
      const q = mass[c] / total;
      const off = c * nf;
      for (let fa = 0; fa < nf; fa++) {
        const ja = design[off + fa];
        if (ja < 0) continue;
        a[ja] += w[c] * g[c];
        mean[ja] += q;
        for (let fb = 0; fb < nf; fb++) {
          const jb = design[off + fb];
          if (jb >= 0) hess[ja][jb] += q;
        }
      }
    }
    for (let ja = 0; ja < d; ja++) {
      for (let jb = 0; jb < d; jb++) hess[ja][jb] -= mean[ja] * mean[jb];
      hess[ja][ja] += 1e-12;
    }
    const v = solve(hess, a);
    if (v) {
      let vTarget = 0;
      for (let j = 0; j < d; j++) vTarget += v[j] * target[j];
      for (let c = 0; c < nCells; c++) {
        let vx = -vTarget;
        for (let f = 0; f < nf; f++) {
          const j = design[c * nf + f];
          if (j >= 0) vx += v[j];
        }
        u[c] = vx;
      }
    } else u = new Float64Array(nCells).fill(Number.NaN);
  }
  let var1 = 0;
  let var0 = 0;
  let varEffect = 0;
  for (let i = 0; i < len; i++) {
    const c = cell[i];
    let if1 = 0;
    let if0 = 0;
    if (side[i]) {
      if (!kept[c]) continue;
      if1 = s1 * h1[i];
      if0 = (s0 * u[c]) / n1;
    } else {
      if (w[c] <= 0) continue;
      if0 = s0 * w[c] * (h0[i] - u[c] / n1);
    }
    var1 += if1 * if1 * n[i];
    var0 += if0 * if0 * n[i];
    varEffect += (if1 - if0) ** 2 * n[i];
  }
  return { s1, s0, var1, var0, varEffect };
}
