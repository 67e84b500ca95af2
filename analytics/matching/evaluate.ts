/**
 * Evaluation of a matching: coverage, compatibility, predicted success (with bootstrap
 * intervals), intergenerational and cross-company reach, age gap, mentor load, blocking
 * pairs and fairness by organization and generation. Generations and age gaps come from the
 * shared domain module, so the recorded matching's figures equal the report's. Pure.
 */
import { ageGapYears, generationLabel, GENERATION_KEYS, isCrossGeneration } from "../domain/generations.ts";
import { FEATURE_COUNT, pairFeatures, type EncodedProgram } from "./compatibility.ts";
import { sortedQuantile } from "./outcome-model.ts";
import type { CandidateGraph } from "./sparse-assignment.ts";
import type { Matching } from "./types.ts";

/** Groups smaller than this are not shown in fairness figures. */
export const MIN_GROUP_SIZE = 5;

export interface Predictor {
  /** Parameter rows (row 0 = the point model, then bootstrap refits): [intercept, coef…, impute…]. */
  rows: number;
  width: number;
  params: Float64Array;
}

export interface EvaluationContext {
  enc: EncodedProgram;
  rows: number;
  cols: number;
  /** Compatibility (mentee × mentor), −Infinity = forbidden; empty in the sparse mode. */
  scores: Float64Array;
  capacities: Int32Array;
  targetGapYears: number;
  predictor: Predictor | null;
  /**
   * The sparse mode (sparse-mode.ts): compatibility on demand instead of `scores`, and blocking
   * pairs counted among the candidate pairs only (a lower bound of the full count).
   */
  sparse?: { score: (mentee: number, mentor: number) => number; graph: CandidateGraph } | null;
}

export interface GroupFigures {
  group: string;
  label: string;
  mentees: number;
  matched: number;
  coverage: number;
  compatibility_mean: number | null;
  /** Mean predicted success of the group's pairs. */
  predicted_success: number | null;
  /** Expected successful pairs per mentee of the group (unmatched mentees count 0). */
  success_per_mentee: number | null;
}

export interface Fairness {
  by_organization: GroupFigures[];
  by_generation: GroupFigures[];
  /** Best − worst success per mentee among groups of ≥ MIN_GROUP_SIZE mentees (compatibility mean without a model). */
  gap_organization: number | null;
  gap_generation: number | null;
  measure: "success_per_mentee" | "compatibility_mean";
}

export interface RunMetrics {
  pairs: number;
  matched_mentees: number;
  mentees: number;
  coverage: number | null;
  compatibility: { mean: number | null; p10: number | null; p50: number | null; p90: number | null; histogram: number[] };
  /** Point estimate of the mean predicted success of the pairs, null without a model. */
  predicted_success: number | null;
  expected_successes: number | null;
  /** Mean predicted success under each bootstrap refit (not in the JSON output). */
  predicted_boot: Float64Array | null;
  cross_generation_rate: number | null;
  cross_company_rate: number | null;
  median_age_gap_years: number | null;
  mentor_load: { mentors: number; used: number; idle: number; max: number; mean: number | null; over_capacity: number };
  blocking_pairs: number;
  fairness: Fairness;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = values.slice().sort((a, b) => a - b);
  return sortedQuantile(sorted, 0.5);
}

/**
 * Pairs (mentee i, mentor j), allowed and not matched together, where both strictly prefer
 * each other (by compatibility) to what they have: the mentee is unmatched or has a lower
 * score, and the mentor has room or holds a mentee with a lower score.
 */
export function countBlockingPairs(ctx: Pick<EvaluationContext, "rows" | "cols" | "scores" | "capacities" | "sparse">, m: Matching): number {
  const { rows, cols, scores, capacities } = ctx;
  const scoreOf = ctx.sparse?.score ?? ((i: number, j: number) => scores[i * cols + j]);
  const current = new Float64Array(rows).fill(-Infinity);
  const load = new Int32Array(cols);
  const worst = new Float64Array(cols).fill(Infinity);
  for (let k = 0; k < m.mentee.length; k++) {
    const i = m.mentee[k];
    const j = m.mentor[k];
    const s = scoreOf(i, j);
    if (s > current[i]) current[i] = s;
    load[j]++;
    if (s < worst[j]) worst[j] = s;
  }
  // What mentor j needs to be tempted: anything allowed with room (> −∞), else more than its
  // worst mentee; a mentor of capacity 0 never is (+∞).
  const threshold = new Float64Array(cols);
  for (let j = 0; j < cols; j++) threshold[j] = capacities[j] === 0 ? Infinity : load[j] < capacities[j] ? -Infinity : worst[j];
  let count = 0;
  const graph = ctx.sparse?.graph;
  if (graph) {
    for (let i = 0; i < rows; i++) {
      const mine = current[i];
      for (let e = graph.rowPtr[i]; e < graph.rowPtr[i + 1]; e++) {
        const s = graph.weights[e];
        if (s > mine && s > threshold[graph.colIdx[e]]) count++;
      }
    }
    return count;
  }
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    const mine = current[i];
    // s > mine leaves out forbidden cells (−∞) and the mentee's own mentors (s ≤ mine).
    for (let j = 0; j < cols; j++) {
      const s = scores[base + j];
      if (s > mine && s > threshold[j]) count++;
    }
  }
  return count;
}

/** Pairs whose probabilities a cache keeps (201 doubles each: ~30 MB). */
const MAX_CACHED_PAIRS = 20_000;

/** The pair's success probability under the point model (index 0) and each bootstrap refit. */
function pairProbabilities(ctx: EvaluationContext, predictor: Predictor, j: number, i: number, features: Float64Array): Float64Array {
  pairFeatures(ctx.enc, j, i, ctx.targetGapYears, features);
  const { params, width, rows } = predictor;
  const out = new Float64Array(rows);
  let missing = false;
  for (let f = 0; f < FEATURE_COUNT; f++) if (Number.isNaN(features[f])) missing = true;
  // The hot loop of a simulation (pairs × bootstrap refits): unrolled for the six features.
  const [x0, x1, x2, x3, x4, x5] = features;
  for (let r = 0; r < rows; r++) {
    const o = r * width;
    let eta: number;
    if (!missing) {
      eta = params[o] + params[o + 1] * x0 + params[o + 2] * x1 + params[o + 3] * x2 + params[o + 4] * x3 + params[o + 5] * x4 + params[o + 6] * x5;
    } else {
      eta = params[o];
      for (let f = 0; f < FEATURE_COUNT; f++) {
        const v = features[f];
        eta += params[o + 1 + f] * (Number.isNaN(v) ? params[o + 1 + FEATURE_COUNT + f] : v);
      }
    }
    out[r] = 1 / (1 + Math.exp(-eta));
  }
  return out;
}

/**
 * The figures of one matching. `cache` (cell → probabilities) saves the predictions of pairs
 * that come back run after run (stable's seeds differ only by tie-breaks); the figures are the
 * same with or without it.
 */
export function evaluateMatching(ctx: EvaluationContext, m: Matching, cache?: Map<number, Float64Array>): RunMetrics {
  if (FEATURE_COUNT !== 6) throw new Error("evaluateMatching: the prediction loop is written for six features");
  const { enc, cols, scores, predictor } = ctx;
  const sparseScore = ctx.sparse?.score ?? null;
  const nPairs = m.mentee.length;
  const mentees = enc.mentees.count;
  const matched = new Uint8Array(mentees);
  const pairScore = new Float64Array(nPairs);
  const pairPredicted = new Float64Array(nPairs);
  const boot = predictor ? new Float64Array(predictor.rows - 1) : null;
  const features = new Float64Array(FEATURE_COUNT);
  const gaps: number[] = [];
  let crossGeneration = 0;
  let crossCompany = 0;
  const load = new Int32Array(cols);
  for (let k = 0; k < nPairs; k++) {
    const i = m.mentee[k];
    const j = m.mentor[k];
    matched[i] = 1;
    load[j]++;
    // The score of a recorded pair that the constraints forbid is recomputed as 0 (not −∞).
    const s = sparseScore ? sparseScore(i, j) : scores[i * cols + j];
    pairScore[k] = s === -Infinity ? 0 : s;
    const mentorYear = enc.mentors.birthYear[j];
    const menteeYear = enc.mentees.birthYear[i];
    gaps.push(ageGapYears(mentorYear, menteeYear));
    if (isCrossGeneration(mentorYear, menteeYear)) crossGeneration++;
    if (enc.mentors.org[j] !== enc.mentees.org[i]) crossCompany++;
    if (predictor) {
      const cell = i * cols + j;
      let probs = cache?.get(cell);
      if (!probs) {
        probs = pairProbabilities(ctx, predictor, j, i, features);
        if (cache && cache.size < MAX_CACHED_PAIRS) cache.set(cell, probs);
      }
      pairPredicted[k] = probs[0];
      for (let r = 1; r < probs.length; r++) boot![r - 1] += probs[r];
    }
  }
  let matchedCount = 0;
  for (const v of matched) matchedCount += v;
  const sortedScores = Array.from(pairScore).sort((a, b) => a - b);
  const histogram = new Array(10).fill(0);
  for (const s of pairScore) histogram[Math.min(9, Math.max(0, Math.floor(s * 10)))]++;
  let scoreSum = 0;
  for (const s of pairScore) scoreSum += s;
  let predictedSum = 0;
  for (const v of pairPredicted) predictedSum += v;
  if (boot && nPairs > 0) for (let r = 0; r < boot.length; r++) boot[r] /= nPairs;

  let used = 0;
  let maxLoad = 0;
  let over = 0;
  for (let j = 0; j < cols; j++) {
    if (load[j] > 0) used++;
    if (load[j] > maxLoad) maxLoad = load[j];
    if (load[j] > ctx.capacities[j]) over++;
  }
  const rate = (count: number) => (nPairs > 0 ? count / nPairs : null);
  return {
    pairs: nPairs,
    matched_mentees: matchedCount,
    mentees,
    coverage: mentees > 0 ? matchedCount / mentees : null,
    compatibility: {
      mean: nPairs > 0 ? scoreSum / nPairs : null,
      p10: nPairs > 0 ? sortedQuantile(sortedScores, 0.1) : null,
      p50: nPairs > 0 ? sortedQuantile(sortedScores, 0.5) : null,
      p90: nPairs > 0 ? sortedQuantile(sortedScores, 0.9) : null,
      histogram,
    },
    predicted_success: predictor && nPairs > 0 ? predictedSum / nPairs : null,
    expected_successes: predictor ? predictedSum : null,
    predicted_boot: boot && nPairs > 0 ? boot : null,
    cross_generation_rate: rate(crossGeneration),
    cross_company_rate: rate(crossCompany),
    median_age_gap_years: median(gaps),
    mentor_load: { mentors: cols, used, idle: cols - used, max: maxLoad, mean: cols > 0 ? nPairs / cols : null, over_capacity: over },
    blocking_pairs: countBlockingPairs(ctx, m),
    fairness: fairness(ctx, m, pairScore, predictor ? pairPredicted : null),
  };
}

function fairness(ctx: EvaluationContext, m: Matching, pairScore: Float64Array, pairPredicted: Float64Array | null): Fairness {
  const { enc } = ctx;
  const by = (keyOf: (i: number) => number, names: (key: number) => [string, string]): GroupFigures[] => {
    const groups = new Map<number, { mentees: number; matched: Set<number>; score: number; predicted: number; pairs: number }>();
    for (let i = 0; i < enc.mentees.count; i++) {
      const key = keyOf(i);
      const g = groups.get(key) ?? { mentees: 0, matched: new Set<number>(), score: 0, predicted: 0, pairs: 0 };
      g.mentees++;
      groups.set(key, g);
    }
    for (let k = 0; k < m.mentee.length; k++) {
      const g = groups.get(keyOf(m.mentee[k]))!;
      g.matched.add(m.mentee[k]);
      g.pairs++;
      g.score += pairScore[k];
      if (pairPredicted) g.predicted += pairPredicted[k];
    }
    return [...groups.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([key, g]) => {
        const [group, label] = names(key);
        return {
          group,
          label,
          mentees: g.mentees,
          matched: g.matched.size,
          coverage: g.matched.size / g.mentees,
          compatibility_mean: g.pairs > 0 ? g.score / g.pairs : null,
          predicted_success: pairPredicted && g.pairs > 0 ? g.predicted / g.pairs : null,
          success_per_mentee: pairPredicted ? g.predicted / g.mentees : null,
        };
      });
  };
  const byOrganization = by((i) => enc.mentees.org[i], (key) => [enc.orgNames[key], enc.orgNames[key]]);
  const byGeneration = by((i) => enc.mentees.generation[i], (key) => [GENERATION_KEYS[key], generationLabel(GENERATION_KEYS[key])]);
  const measure = pairPredicted ? "success_per_mentee" : "compatibility_mean";
  return {
    by_organization: byOrganization,
    by_generation: byGeneration,
    gap_organization: groupGap(byOrganization, measure),
    gap_generation: groupGap(byGeneration, measure),
    measure,
  };
}

/** Best − worst value among groups of at least MIN_GROUP_SIZE mentees; null with fewer than two such groups. */
export function groupGap(groups: GroupFigures[], measure: "success_per_mentee" | "compatibility_mean"): number | null {
  const values = groups.filter((g) => g.mentees >= MIN_GROUP_SIZE).map((g) => g[measure]).filter((v): v is number => v !== null);
  if (values.length < 2) return null;
  return Math.max(...values) - Math.min(...values);
}

export interface Spread {
  mean: number | null;
  /** 2.5 % and 97.5 % across runs (null for a single run). */
  low: number | null;
  high: number | null;
}

export interface StrategySummary {
  strategy: string;
  runs: number;
  pairs: Spread;
  coverage: Spread;
  compatibility_mean: Spread;
  compatibility: RunMetrics["compatibility"];
  /** Mean predicted success of the pairs; the interval is the 95 % bootstrap interval of the model. */
  predicted_success: { mean: number; low: number; high: number } | null;
  /** Run-to-run spread of the predicted success (random, stable). */
  predicted_success_runs: Spread;
  expected_successes: Spread;
  cross_generation_rate: Spread;
  cross_company_rate: Spread;
  median_age_gap_years: Spread;
  blocking_pairs: Spread;
  mentor_load: RunMetrics["mentor_load"];
  fairness: Fairness;
  /**
   * Expected successful pairs more than the recorded matching (gainOver), with its 95 %
   * interval; absent without recorded pairs or a model (and in runs stored before it existed).
   */
  gain_over_recorded?: { mean: number; low: number; high: number } | null;
}

function spread(values: (number | null)[]): Spread {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return { mean: null, low: null, high: null };
  const mean = present.reduce((a, b) => a + b, 0) / present.length;
  if (present.length === 1) return { mean, low: null, high: null };
  const sorted = present.slice().sort((a, b) => a - b);
  return { mean, low: sortedQuantile(sorted, 0.025), high: sortedQuantile(sorted, 0.975) };
}

/**
 * Summarises the runs of one strategy (in run order). Figures are run means; the predicted
 * success interval averages each bootstrap refit over the runs, then takes its 2.5–97.5 %
 * percentiles. Distributions, load and fairness are those of the first run when there are
 * many (fairness groups: means over runs).
 */
export function summarizeRuns(strategy: string, runs: RunMetrics[]): StrategySummary {
  const first = runs[0];
  let predicted: StrategySummary["predicted_success"] = null;
  const boots = runs.map((r) => r.predicted_boot);
  if (boots.every((b): b is Float64Array => b !== null) && boots.length > 0) {
    const rows = boots[0].length;
    const averaged = new Float64Array(rows);
    for (const b of boots) for (let r = 0; r < rows; r++) averaged[r] += b[r] / boots.length;
    averaged.sort();
    const point = runs.reduce((a, r) => a + (r.predicted_success ?? 0), 0) / runs.length;
    predicted = { mean: point, low: sortedQuantile(averaged, 0.025), high: sortedQuantile(averaged, 0.975) };
  }
  const averageGroups = (pick: (r: RunMetrics) => GroupFigures[]): GroupFigures[] =>
    pick(first).map((g, index) => {
      const rowsOf = runs.map((r) => pick(r)[index]);
      const avg = (f: (x: GroupFigures) => number | null) => spread(rowsOf.map(f)).mean;
      return {
        ...g,
        matched: avg((x) => x.matched) ?? 0,
        coverage: avg((x) => x.coverage) ?? 0,
        compatibility_mean: avg((x) => x.compatibility_mean),
        predicted_success: avg((x) => x.predicted_success),
        success_per_mentee: avg((x) => x.success_per_mentee),
      };
    });
  const byOrganization = averageGroups((r) => r.fairness.by_organization);
  const byGeneration = averageGroups((r) => r.fairness.by_generation);
  return {
    strategy,
    runs: runs.length,
    pairs: spread(runs.map((r) => r.pairs)),
    coverage: spread(runs.map((r) => r.coverage)),
    compatibility_mean: spread(runs.map((r) => r.compatibility.mean)),
    compatibility: first.compatibility,
    predicted_success: predicted,
    predicted_success_runs: spread(runs.map((r) => r.predicted_success)),
    expected_successes: spread(runs.map((r) => r.expected_successes)),
    cross_generation_rate: spread(runs.map((r) => r.cross_generation_rate)),
    cross_company_rate: spread(runs.map((r) => r.cross_company_rate)),
    median_age_gap_years: spread(runs.map((r) => r.median_age_gap_years)),
    blocking_pairs: spread(runs.map((r) => r.blocking_pairs)),
    mentor_load: first.mentor_load,
    fairness: {
      by_organization: byOrganization,
      by_generation: byGeneration,
      gap_organization: groupGap(byOrganization, first.fairness.measure),
      gap_generation: groupGap(byGeneration, first.fairness.measure),
      measure: first.fairness.measure,
    },
  };
}

/**
 * Expected successful pairs under each bootstrap refit of the outcome model, averaged over a
 * strategy's runs (refit r of run k: mean predicted success × pairs). Null without a model.
 */
function expectedSuccessesByRefit(runs: RunMetrics[]): Float64Array | null {
  if (runs.length === 0 || runs.some((r) => r.predicted_boot === null)) return null;
  const refits = runs[0].predicted_boot!.length;
  const out = new Float64Array(refits);
  for (const run of runs) for (let r = 0; r < refits; r++) out[r] += (run.predicted_boot![r] * run.pairs) / runs.length;
  return out;
}

/**
 * The gain of a strategy over another (the recorded pairs) in expected successful pairs: the
 * point difference of the run means, and the 95 % interval of the paired difference over the
 * outcome model's bootstrap refits (the same refit scores both, so the model's uncertainty
 * that both share cancels). Null when either has no model or no pair.
 */
export function gainOver(base: RunMetrics[], other: RunMetrics[]): { mean: number; low: number; high: number } | null {
  const a = expectedSuccessesByRefit(base);
  const b = expectedSuccessesByRefit(other);
  const mean = (runs: RunMetrics[]) => runs.reduce((s, r) => s + (r.expected_successes ?? 0), 0) / runs.length;
  if (!a || !b || a.length !== b.length || a.length === 0) return null;
  const diff = new Float64Array(a.length);
  for (let r = 0; r < a.length; r++) diff[r] = b[r] - a[r];
  diff.sort();
  return { mean: mean(other) - mean(base), low: sortedQuantile(diff, 0.025), high: sortedQuantile(diff, 0.975) };
}
