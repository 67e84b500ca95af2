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

/**
 * The same variances of each curve (participants, reweighted comparison) at several times
 * `at` (ascending), in one sweep over the records instead of one per time: a record whose time
 * τ is at most t has the influence it has at τ (its Greenwood term then no longer changes); one
 * with τ > t has the cumulative term at t. So per cell the sums Σ N h and Σ N h² of the records
 * up to t, and the count after t, give every time's variance (the effect's interval still
 * comes from `linearize`, which keeps the covariance of the two curves).
 */
export function curveVariances(recs: VarianceRecords, balance: BalanceWeights, nf: number, at: readonly number[], scratch: LinearizeScratch = linearizeScratch(recs, balance)): { s1: number; s0: number; var1: number; var0: number }[] {
  const { cell, side, time, event, n } = recs;
  const len = n.length;
  const nCells = balance.weights.length;
  const w = balance.weights;
  const n1 = balance.keptTreatedCount;
  const months = at.length;
  // One sweep per curve: at each time of `at`, S, the cumulative term A, and per cell the sums.
  const sweep = (weight: Float64Array) => {
    const S = new Float64Array(months);
    const A = new Float64Array(months);
    const P = Array.from({ length: months }, () => new Float64Array(nCells));
    const P2 = Array.from({ length: months }, () => new Float64Array(nCells));
    const R = Array.from({ length: months }, () => new Float64Array(nCells));
    const p = new Float64Array(nCells);
    const p2 = new Float64Array(nCells);
    const remaining = new Float64Array(nCells);
    let atRisk = 0;
    for (let i = 0; i < len; i++) {
      atRisk += n[i] * weight[i];
      if (weight[i] > 0) remaining[cell[i]] += n[i];
    }
    let survival = 1;
    let cumulative = 0;
    let m = 0;
    const snapshot = () => {
      S[m] = survival;
      A[m] = cumulative;
      P[m].set(p);
      P2[m].set(p2);
      R[m].set(remaining);
      m++;
    };
    for (let i = 0; i < len; ) {
      const tk = time[i];
      while (m < months && at[m] < tk) snapshot();
      let d = 0;
      let c = 0;
      let j = i;
      for (; j < len && time[j] === tk; j++) {
        const x = n[j] * weight[j];
        if (event[j]) d += x;
        else c += x;
      }
      const left = atRisk - d;
      if (atRisk > 0 && d > 0) {
        survival *= 1 - d / atRisk;
        if (left > 0) cumulative += d / (atRisk * left);
      }
      const eventTerm = left > 0 ? 1 / left : 0;
      for (; i < j; i++) {
        if (weight[i] <= 0) continue;
        const h = cumulative - (event[i] ? eventTerm : 0);
        p[cell[i]] += n[i] * h;
        p2[cell[i]] += n[i] * h * h;
        remaining[cell[i]] -= n[i];
      }
      atRisk -= d + c;
    }
    while (m < months) snapshot();
    return { S, A, P, P2, R };
  };
  const one = sweep(scratch.w1);
  const zero = sweep(scratch.w0);
  // The balancing's Hessian and the participants per cell do not depend on t.
  const d = balance.lambda.length;
  const { design, target } = balance;
  const mass = new Float64Array(nCells);
  const treatedKept = new Float64Array(nCells);
  const controlCount = new Float64Array(nCells);
  for (let i = 0; i < len; i++) {
    if (side[i]) {
      if (balance.keptTreated[cell[i]]) treatedKept[cell[i]] += n[i];
    } else {
      mass[cell[i]] += n[i] * w[cell[i]];
      controlCount[cell[i]] += n[i];
    }
  }
  const hess = Array.from({ length: d }, () => new Float64Array(d));
  const mean = new Float64Array(d);
  let total = 0;
  for (let c = 0; c < nCells; c++) total += mass[c];
  for (let c = 0; c < nCells; c++) {
    if (w[c] <= 0) continue;
    const q = mass[c] / total;
    for (let fa = 0; fa < nf; fa++) {
      const ja = design[c * nf + fa];
      if (ja < 0) continue;
      mean[ja] += q;
      for (let fb = 0; fb < nf; fb++) {
        const jb = design[c * nf + fb];
        if (jb >= 0) hess[ja][jb] += q;
      }
    }
  }
  for (let ja = 0; ja < d; ja++) {
    for (let jb = 0; jb < d; jb++) hess[ja][jb] -= mean[ja] * mean[jb];
    hess[ja][ja] += 1e-12;
  }
  return at.map((_, m) => {
    let sum1 = 0;
    for (let c = 0; c < nCells; c++) sum1 += one.P2[m][c] + one.A[m] ** 2 * one.R[m][c];
    const a = new Float64Array(d);
    const g = new Float64Array(nCells);
    for (let c = 0; c < nCells; c++) {
      if (w[c] <= 0) continue;
      g[c] = zero.P[m][c] + zero.A[m] * zero.R[m][c];
      for (let f = 0; f < nf; f++) {
        const j = design[c * nf + f];
        if (j >= 0) a[j] += w[c] * g[c];
      }
    }
    const v = d > 0 ? solve(hess.map((row) => Float64Array.from(row)), a) : new Float64Array(0);
    let vTarget = 0;
    if (v) for (let j = 0; j < d; j++) vTarget += v[j] * target[j];
    let sum0 = 0;
    for (let c = 0; c < nCells; c++) {
      let u = -vTarget;
      if (v) for (let f = 0; f < nf; f++) {
        const j = design[c * nf + f];
        if (j >= 0) u += v[j];
      } else u = Number.NaN;
      const k = u / n1;
      if (treatedKept[c] > 0) sum0 += treatedKept[c] * k * k;
      if (w[c] > 0) {
        const sh = g[c];
        const sh2 = zero.P2[m][c] + zero.A[m] ** 2 * zero.R[m][c];
        sum0 += w[c] * w[c] * (sh2 - 2 * k * sh + k * k * controlCount[c]);
      }
    }
    return { s1: one.S[m], s0: zero.S[m], var1: one.S[m] ** 2 * sum1, var0: zero.S[m] ** 2 * sum0 };
  });
}
