/**
 * The outcome model: a logistic regression of pair success on the compatibility features,
 * fitted by Newton–Raphson (IRLS) with a small L2 penalty on standardised features. Reports
 * its held-out quality by k-fold cross-validation, its fitted effects, and bootstrap refits
 * for confidence intervals on predictions. Pure: arrays in, numbers out.
 * See docs/decisions/0007-outcome-model.md.
 */
import { mulberry32 } from "./rng.ts";

export const MIN_LABELLED = 30;
export const MIN_PER_OUTCOME = 5;

/** A fitted model in raw feature units: logit = intercept + Σ coef[k]·x[k] (NaN x → impute[k]). */
export interface LogisticModel {
  intercept: number;
  coef: Float64Array;
  impute: Float64Array;
  /** Standardisation of the training data (sd 0 = feature left out). */
  mean: Float64Array;
  sd: Float64Array;
  /** Coefficients per standard deviation of the training data. */
  coefPerSd: Float64Array;
  iterations: number;
  converged: boolean;
}

export interface FitOptions {
  /** L2 penalty on the standardised coefficients (not the intercept). Default 1. */
  l2?: number;
  maxIterations?: number;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Solves the symmetric positive definite system a·x = b (Cholesky); a is n×n row-major. */
function solveSpd(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0)) throw new Error("logistic fit: the Hessian is not positive definite");
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j];
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * y[k];
    y[i] = s / l[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

/**
 * Fits the model on rows `index` of x (n×p row-major) with labels y (1 = success).
 * `index` defaults to every row; repeated indices (bootstrap) count twice.
 */
export function fitLogistic(x: Float64Array, y: Uint8Array, p: number, index?: Int32Array, options: FitOptions = {}): LogisticModel {
  const rows = index ?? Int32Array.from({ length: y.length }, (_, i) => i);
  const n = rows.length;
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 50;
  const mean = new Float64Array(p);
  const sd = new Float64Array(p);
  const impute = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    let sum = 0;
    let count = 0;
    for (const r of rows) {
      const v = x[r * p + k];
      if (!Number.isNaN(v)) {
        sum += v;
        count++;
      }
    }
    impute[k] = count > 0 ? sum / count : 0;
  }
  const z = new Float64Array(n * p);
  for (let k = 0; k < p; k++) {
    let sum = 0;
    for (let t = 0; t < n; t++) {
      const v = x[rows[t] * p + k];
      z[t * p + k] = Number.isNaN(v) ? impute[k] : v;
      sum += z[t * p + k];
    }
    mean[k] = sum / n;
    let ss = 0;
    for (let t = 0; t < n; t++) ss += (z[t * p + k] - mean[k]) ** 2;
    sd[k] = Math.sqrt(ss / Math.max(1, n - 1));
    for (let t = 0; t < n; t++) z[t * p + k] = sd[k] > 1e-12 ? (z[t * p + k] - mean[k]) / sd[k] : 0;
  }
  // Newton–Raphson on [intercept, β per SD]; a zero-variance feature keeps β = 0 (its column is 0, the penalty makes the system definite).
  const q = p + 1;
  const beta = new Float64Array(q);
  const grad = new Float64Array(q);
  const hess = new Float64Array(q * q);
  const row = new Float64Array(q);
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations && !converged; iterations++) {
    grad.fill(0);
    hess.fill(0);
    for (let t = 0; t < n; t++) {
      row[0] = 1;
      for (let k = 0; k < p; k++) row[k + 1] = z[t * p + k];
      let eta = 0;
      for (let k = 0; k < q; k++) eta += beta[k] * row[k];
      const mu = sigmoid(eta);
      const w = Math.max(mu * (1 - mu), 1e-12);
      const r = y[rows[t]] - mu;
      for (let a = 0; a < q; a++) {
        grad[a] += r * row[a];
        const wa = w * row[a];
        for (let b = 0; b <= a; b++) hess[a * q + b] += wa * row[b];
      }
    }
    for (let a = 0; a < q; a++) for (let b = 0; b < a; b++) hess[b * q + a] = hess[a * q + b];
    for (let a = 1; a < q; a++) {
      grad[a] -= l2 * beta[a];
      hess[a * q + a] += l2;
    }
    hess[0] += 1e-9;
    const step = solveSpd(hess, grad, q);
    let size = 0;
    for (let a = 0; a < q; a++) {
      beta[a] += step[a];
      size = Math.max(size, Math.abs(step[a]));
    }
    converged = size < 1e-9;
  }
  const coefPerSd = beta.slice(1);
  const coef = new Float64Array(p);
  let intercept = beta[0];
  for (let k = 0; k < p; k++) {
    coef[k] = sd[k] > 1e-12 ? coefPerSd[k] / sd[k] : 0;
    intercept -= coef[k] * mean[k];
  }
  return { intercept, coef, impute, mean, sd, coefPerSd, iterations, converged };
}

/** Predicted success probability of one feature row. */
export function predict(model: LogisticModel, x: Float64Array, offset = 0): number {
  let eta = model.intercept;
  for (let k = 0; k < model.coef.length; k++) {
    const v = x[offset + k];
    eta += model.coef[k] * (Number.isNaN(v) ? model.impute[k] : v);
  }
  return sigmoid(eta);
}

/** Area under the ROC curve (Mann–Whitney, ties counted half); null without both outcomes. */
export function auc(predicted: Float64Array, y: Uint8Array): number | null {
  const n = predicted.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => predicted[a] - predicted[b]);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end < n && predicted[idx[end]] === predicted[idx[start]]) end++;
    const rank = (start + 1 + end) / 2;
    for (let t = start; t < end; t++) if (y[idx[t]]) {
      positives++;
      rankSum += rank;
    }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function brier(predicted: Float64Array, y: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < predicted.length; i++) s += (predicted[i] - y[i]) ** 2;
  return s / predicted.length;
}

export interface CalibrationBin {
  bin: number;
  n: number;
  mean_predicted: number;
  observed_rate: number;
}

/** Calibration by decile of the predicted probability (fewer bins when there are fewer rows). */
export function calibrationByDecile(predicted: Float64Array, y: Uint8Array, bins = 10): CalibrationBin[] {
  const n = predicted.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => predicted[a] - predicted[b] || a - b);
  const out: CalibrationBin[] = [];
  const count = Math.min(bins, n);
  for (let b = 0; b < count; b++) {
    const from = Math.floor((b * n) / count);
    const to = Math.floor(((b + 1) * n) / count);
    let sp = 0;
    let sy = 0;
    for (let t = from; t < to; t++) {
      sp += predicted[idx[t]];
      sy += y[idx[t]];
    }
    out.push({ bin: b + 1, n: to - from, mean_predicted: sp / (to - from), observed_rate: sy / (to - from) });
  }
  return out;
}

export interface InsufficientData {
  status: "insufficient_data";
  labelled: number;
  successes: number;
  failures: number;
  message: string;
}

export interface FeatureEffect {
  feature: string;
  /** Change in log-odds per standard deviation of the feature among the labelled pairs. */
  per_sd: number;
  /** Change in log-odds per unit of the feature. */
  per_unit: number;
  sd: number;
  /** 95 % bootstrap interval of per_sd. */
  per_sd_ci: [number, number];
}

export interface FittedOutcomeModel {
  status: "ok";
  labelled: number;
  successes: number;
  failures: number;
  model: LogisticModel;
  effects: FeatureEffect[];
  intercept: number;
  heldOut: {
    method: string;
    auc: number | null;
    brier: number;
    /** Brier score of always predicting the base rate, for comparison. */
    brier_base_rate: number;
    calibration: CalibrationBin[];
  };
  /** Bootstrap refits in raw units: row b = [intercept, coef…, impute…] (length 1 + 2p). */
  bootstrap: { count: number; params: Float64Array };
}

export type OutcomeModelResult = FittedOutcomeModel | InsufficientData;

export interface OutcomeModelOptions extends FitOptions {
  seed: number;
  folds?: number;
  bootstrap?: number;
}

/** Checks the label counts; null when there are enough to fit. */
export function checkLabelCounts(y: Uint8Array): InsufficientData | null {
  let successes = 0;
  for (const v of y) successes += v;
  const failures = y.length - successes;
  if (y.length >= MIN_LABELLED && successes >= MIN_PER_OUTCOME && failures >= MIN_PER_OUTCOME) return null;
  return {
    status: "insufficient_data",
    labelled: y.length,
    successes,
    failures,
    message:
      `not enough labelled pairs to predict success: ${y.length} labelled (${successes} successes, ${failures} failures); ` +
      `at least ${MIN_LABELLED} labelled and ${MIN_PER_OUTCOME} of each outcome are needed`,
  };
}

function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Linear-interpolated quantile of an already sorted array. */
export { percentile as sortedQuantile };

/**
 * Fits the outcome model on labelled pairs: x is n×p raw features (FEATURES order), y the
 * labels. Held-out quality by stratified k-fold cross-validation (seeded), then `bootstrap`
 * refits on resampled pairs (seeded) for confidence intervals.
 */
export function fitOutcomeModel(x: Float64Array, y: Uint8Array, featureNames: readonly string[], options: OutcomeModelOptions): OutcomeModelResult {
  const insufficient = checkLabelCounts(y);
  if (insufficient) return insufficient;
  const p = featureNames.length;
  const n = y.length;
  const folds = Math.max(2, Math.min(options.folds ?? 5, n));
  const rng = mulberry32(options.seed);

  // Stratified folds: shuffle each outcome, deal them out in turn.
  const fold = new Int32Array(n);
  for (const outcome of [0, 1]) {
    const members = [];
    for (let i = 0; i < n; i++) if (y[i] === outcome) members.push(i);
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [members[i], members[j]] = [members[j], members[i]];
    }
    members.forEach((i, t) => (fold[i] = t % folds));
  }
  const outOfFold = new Float64Array(n);
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    for (let i = 0; i < n; i++) if (fold[i] !== f) train.push(i);
    const model = fitLogistic(x, y, p, Int32Array.from(train), options);
    for (let i = 0; i < n; i++) if (fold[i] === f) outOfFold[i] = predict(model, x, i * p);
  }
  let successes = 0;
  for (const v of y) successes += v;
  const baseRate = successes / n;
  const baseBrier = baseRate * (1 - baseRate);

  const model = fitLogistic(x, y, p, undefined, options);
  const count = options.bootstrap ?? 200;
  const width = 1 + 2 * p;
  const params = new Float64Array(count * width);
  const perSd: number[][] = featureNames.map(() => []);
  const sample = new Int32Array(n);
  for (let b = 0; b < count; b++) {
    for (let t = 0; t < n; t++) sample[t] = Math.floor(rng() * n);
    const m = fitLogistic(x, y, p, sample, options);
    params[b * width] = m.intercept;
    params.set(m.coef, b * width + 1);
    params.set(m.impute, b * width + 1 + p);
    // Per SD of the full data, so the interval is about the same quantity as the estimate.
    for (let k = 0; k < p; k++) perSd[k].push(m.coef[k] * model.sd[k]);
  }
  const effects: FeatureEffect[] = featureNames.map((feature, k) => {
    const sorted = perSd[k].sort((a, b) => a - b);
    return {
      feature,
      per_sd: model.coefPerSd[k],
      per_unit: model.coef[k],
      sd: model.sd[k],
      per_sd_ci: [percentile(sorted, 0.025), percentile(sorted, 0.975)],
    };
  });
  return {
    status: "ok",
    labelled: n,
    successes,
    failures: n - successes,
    model,
    effects,
    intercept: model.intercept,
    heldOut: {
      method: `${folds}-fold cross-validation (stratified, seeded)`,
      auc: auc(outOfFold, y),
      brier: brier(outOfFold, y),
      brier_base_rate: baseBrier,
      calibration: calibrationByDecile(outOfFold, y),
    },
    bootstrap: { count, params },
  };
}

/** The point model and the bootstrap refits as one parameter matrix (row 0 = point model). */
export function predictorParams(fitted: FittedOutcomeModel): { rows: number; width: number; params: Float64Array } {
  const p = fitted.model.coef.length;
  const width = 1 + 2 * p;
  const params = new Float64Array((fitted.bootstrap.count + 1) * width);
  params[0] = fitted.model.intercept;
  params.set(fitted.model.coef, 1);
  params.set(fitted.model.impute, 1 + p);
  params.set(fitted.bootstrap.params, width);
  return { rows: fitted.bootstrap.count + 1, width, params };
}
