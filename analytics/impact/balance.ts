/**
 * Entropy balancing (Hainmueller 2012) over cells (decision 0020): weights for the comparison
 * group, as close to uniform as possible (least relative entropy), such that the weighted
 * shares of every level of every balanced covariate equal the participants' shares exactly.
 * The weights have the form exp(λ·x) — the odds of a logistic model with those main effects —
 * and λ solves a smooth convex problem (Newton's method on its dual). All covariates are
 * categorical, so everything works on cells (one combination of levels) and their counts. Pure.
 */

export interface BalanceCells {
  /** Per factor, the number of levels. */
  levels: readonly number[];
  /** Per cell, its level of each factor (levels[f] values). */
  cellLevels: readonly (readonly number[])[];
}

export interface BalanceWeights {
  ok: boolean;
  /** Per cell, the weight of each comparison person (Σ control × weight = the kept participants). */
  weights: Float64Array;
  /** Per cell, whether its participants are kept (every level of theirs has comparison people). */
  keptTreated: Uint8Array;
  keptTreatedCount: number;
  iterations: number;
  /** The solution (one value per balanced level but the first of each covariate). */
  lambda: Float64Array;
  /** Largest gap between a weighted comparison share and the participants' share, after. */
  maxGap: number;
  /** Per cell and factor (cell-major), the column of λ its level has, −1 for none (the analytic variance). */
  design: Int32Array;
  /** Per column, the kept participants' share of that level (the balancing's target). */
  target: Float64Array;
}

/**
 * Levels with participants but no comparison people cannot be balanced: their participants
 * are left out (counted); comparison people in levels without participants get weight 0
 * (what the exact solution gives them). Repeated until nothing changes.
 */
export function entropyBalance(
  cells: BalanceCells,
  treated: ArrayLike<number>,
  control: ArrayLike<number>,
  options: { tolerance?: number; maxIterations?: number; /** A starting λ (the bootstrap starts from the point estimate's). */ start?: Float64Array } = {},
): BalanceWeights {
  const tolerance = options.tolerance ?? 1e-9;
  const maxIterations = options.maxIterations ?? 50;
  const nCells = cells.cellLevels.length;
  const nf = cells.levels.length;
  const flat = flatLevels(cells);
  const keptT = new Uint8Array(nCells);
  const keptC = new Uint8Array(nCells);
  for (let c = 0; c < nCells; c++) {
    keptT[c] = treated[c] > 0 ? 1 : 0;
    keptC[c] = control[c] > 0 ? 1 : 0;
  }
  const maxLevels = Math.max(1, ...cells.levels);
  const t = new Float64Array(maxLevels);
  const m = new Float64Array(maxLevels);
  for (let changed = true; changed; ) {
    changed = false;
    for (let f = 0; f < nf; f++) {
      t.fill(0);
      m.fill(0);
      for (let c = 0; c < nCells; c++) {
        const l = flat[c * nf + f];
        if (keptT[c]) t[l] += treated[c];
        if (keptC[c]) m[l] += control[c];
      }
      for (let c = 0; c < nCells; c++) {
        const l = flat[c * nf + f];
        if (keptT[c] && m[l] === 0) (keptT[c] = 0), (changed = true);
        if (keptC[c] && t[l] === 0) (keptC[c] = 0), (changed = true);
      }
    }
  }
  // The design: per factor, one column per level that has kept participants, but the first.
  const columns: [number, number][] = [];
  const colIndex = cells.levels.map((n) => new Int32Array(n).fill(-1));
  for (let f = 0; f < nf; f++) {
    const present = new Uint8Array(cells.levels[f]);
    for (let c = 0; c < nCells; c++) if (keptT[c]) present[flat[c * nf + f]] = 1;
    let first = true;
    for (let l = 0; l < cells.levels[f]; l++) {
      if (!present[l]) continue;
      if (first) first = false;
      else colIndex[f][l] = columns.push([f, l]) - 1;
    }
  }
  const d = columns.length;
  let n1 = 0;
  const target = new Float64Array(d);
  for (let c = 0; c < nCells; c++) {
    if (!keptT[c]) continue;
    n1 += treated[c];
    for (let f = 0; f < nf; f++) {
      const j = colIndex[f][flat[c * nf + f]];
      if (j >= 0) target[j] += treated[c];
    }
  }
  const weights = new Float64Array(nCells);
  const design = new Int32Array(nCells * nf);
  for (let c = 0; c < nCells; c++) for (let f = 0; f < nf; f++) design[c * nf + f] = colIndex[f][flat[c * nf + f]];
  if (n1 === 0) return { ok: false, weights, keptTreated: keptT, keptTreatedCount: 0, iterations: 0, lambda: new Float64Array(d), maxGap: Number.NaN, design, target };
  for (let j = 0; j < d; j++) target[j] /= n1;
  const ctl: number[] = [];
  for (let c = 0; c < nCells; c++) if (keptC[c]) ctl.push(c);
  const nc = ctl.length;
  // x is sparse: per cell at most one column per factor (none for a factor's first level).
  // Columns per cell, -1 for none; z = x − target is never formed.
  const active = new Int32Array(nc * nf);
  for (let i = 0; i < nc; i++) for (let f = 0; f < nf; f++) active[i * nf + f] = colIndex[f][flat[ctl[i] * nf + f]];
  const mass = Float64Array.from(ctl, (c) => control[c]);
  const lambda = new Float64Array(d);
  if (options.start && options.start.length === d) lambda.set(options.start);
  const sBuf = new Float64Array(nc);
  /** log Σ mass·exp(λ·(x − target)) at lam, and the normalized terms into p. */
  const objective = (lam: Float64Array, p: Float64Array): number => {
    let shift = 0;
    for (let j = 0; j < d; j++) shift += lam[j] * target[j];
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < nc; i++) {
      let v = -shift;
      for (let f = 0; f < nf; f++) {
        const j = active[i * nf + f];
        if (j >= 0) v += lam[j];
      }
      sBuf[i] = v;
      if (v > max) max = v;
    }
    let sum = 0;
    for (let i = 0; i < nc; i++) sum += p[i] = mass[i] * Math.exp(sBuf[i] - max);
    for (let i = 0; i < nc; i++) p[i] /= sum;
    return Math.log(sum) + max;
  };
  let p = new Float64Array(nc);
  let pNext = new Float64Array(nc);
  let f = objective(lambda, p);
  let iterations = 0;
  let gap = Number.POSITIVE_INFINITY;
  const mean = new Float64Array(d);
  const g = new Float64Array(d);
  const h = Array.from({ length: d }, () => new Float64Array(d));
  const trial = new Float64Array(d);
  for (; iterations < maxIterations; iterations++) {
    // Gradient = E_p[x] − target; Hessian = Cov_p(x) = E_p[x xᵀ] − E_p[x] E_p[x]ᵀ.
    mean.fill(0);
    for (const row of h) row.fill(0);
    for (let i = 0; i < nc; i++) {
      const pi = p[i];
      const off = i * nf;
      for (let a = 0; a < nf; a++) {
        const ja = active[off + a];
        if (ja < 0) continue;
        mean[ja] += pi;
        for (let b = 0; b < nf; b++) {
          const jb = active[off + b];
          if (jb >= 0) h[ja][jb] += pi;
        }
      }
    }
    gap = 0;
    for (let j = 0; j < d; j++) {
      g[j] = mean[j] - target[j];
      gap = Math.max(gap, Math.abs(g[j]));
    }
    if (gap < tolerance) break;
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) h[a][b] -= mean[a] * mean[b];
      h[a][a] += 1e-12;
    }
    const step = solve(h, g);
    if (!step) break;
    let alpha = 1;
    let fNext = f;
    let decreased = false;
    for (let k = 0; k < 30; k++, alpha /= 2) {
      for (let j = 0; j < d; j++) trial[j] = lambda[j] - alpha * step[j];
      fNext = objective(trial, pNext);
      if (fNext <= f + 1e-15) {
        decreased = true;
        break;
      }
    }
    if (!decreased) break;
    // No exact solution (the participants' shares are outside what the comparison cells can
    // reach): the objective keeps falling ever more slowly while λ runs off. Stop.
    const stalled = f - fNext < 1e-12 && alpha < 1;
    lambda.set(trial);
    [p, pNext] = [pNext, p];
    f = fNext;
    if (stalled) break;
  }
  let n0kept = 0;
  for (const c of ctl) n0kept += control[c];
  ctl.forEach((c, i) => (weights[c] = (p[i] * n1) / control[c]));
  return { ok: gap < 1e-6 && n0kept > 0, weights, keptTreated: keptT, keptTreatedCount: n1, iterations, lambda, maxGap: gap, design, target };
}

const flatCache = new WeakMap<BalanceCells, Int32Array>();

/** The cells' levels as one array (cell-major), computed once per BalanceCells. */
function flatLevels(cells: BalanceCells): Int32Array {
  let flat = flatCache.get(cells);
  if (!flat) {
    const nf = cells.levels.length;
    flat = new Int32Array(cells.cellLevels.length * nf);
    cells.cellLevels.forEach((lv, c) => lv.forEach((l, f) => (flat![c * nf + f] = l)));
    flatCache.set(cells, flat);
  }
  return flat;
}

/** Solves H x = g (H symmetric positive definite) by Gaussian elimination with pivoting; null when singular. */
export function solve(h: Float64Array[], g: Float64Array): Float64Array | null {
  const n = g.length;
  const a = h.map((row, i) => {
    const r = new Float64Array(n + 1);
    r.set(row);
    r[n] = g[i];
    return r;
  });
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    if (Math.abs(a[pivot][col]) < 1e-300) return null;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    for (let r = col + 1; r < n; r++) {
      const f = a[r][col] / a[col][col];
      if (f === 0) continue;
      for (let k = col; k <= n; k++) a[r][k] -= f * a[col][k];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = a[r][n];
    for (let k = r + 1; k < n; k++) s -= a[r][k] * x[k];
    x[r] = s / a[r][r];
  }
  return x;
}

export interface BalanceRow {
  covariate: string;
  level: string;
  participants_share: number;
  comparison_share_before: number;
  comparison_share_after: number;
  /** Standardized mean difference of the level's indicator, participants − comparison (pooled SD of the unweighted groups). */
  smd_before: number;
  smd_after: number;
}

/** The balance table: every level of every factor, shares and SMDs before and after weighting. */
export function balanceTable(
  cells: BalanceCells,
  names: { covariate: string; levels: readonly string[] }[],
  treated: ArrayLike<number>,
  control: ArrayLike<number>,
  result: BalanceWeights,
  /**
   * A protected reader: a covariate with a level of 1 to `hideBelow` − 1 participants or
   * comparison people is left out whole (a level's share times the group's size is its count,
   * and the levels' shares sum to 1, so hiding one level alone would not hide it). Covariates in
   * `exempt` are left to the caller.
   */
  hide?: { below: number; exempt: ReadonlySet<string> },
): BalanceRow[] {
  const rows: BalanceRow[] = [];
  const nCells = cells.cellLevels.length;
  let n1 = 0;
  let n0 = 0;
  let w0 = 0;
  for (let c = 0; c < nCells; c++) {
    if (result.keptTreated[c]) n1 += treated[c];
    n0 += control[c];
    w0 += control[c] * result.weights[c];
  }
  names.forEach(({ covariate, levels }, f) => {
    const block: BalanceRow[] = [];
    let small = false;
    levels.forEach((level, l) => {
      let t = 0;
      let m = 0;
      let mw = 0;
      for (let c = 0; c < nCells; c++) {
        if (cells.cellLevels[c][f] !== l) continue;
        if (result.keptTreated[c]) t += treated[c];
        m += control[c];
        mw += control[c] * result.weights[c];
      }
      if (t === 0 && m === 0) return;
      if (hide && !hide.exempt.has(covariate) && ((t > 0 && t < hide.below) || (m > 0 && m < hide.below))) small = true;
      const p1 = n1 > 0 ? t / n1 : 0;
      const p0 = n0 > 0 ? m / n0 : 0;
      const p0w = w0 > 0 ? mw / w0 : 0;
      const sd = Math.sqrt((p1 * (1 - p1) + p0 * (1 - p0)) / 2);
      block.push({
        covariate,
        level,
        participants_share: p1,
        comparison_share_before: p0,
        comparison_share_after: p0w,
        smd_before: sd > 0 ? (p1 - p0) / sd : 0,
        smd_after: sd > 0 ? (p1 - p0w) / sd : 0,
      });
    });
    if (!small) rows.push(...block);
  });
  return rows;
}
