/**
 * The `learned` strategy (issue 15, item 1; docs/decisions/0019-learned-matching.md): the exact
 * assignment, under the same capacities and hard constraints as `optimal`, that maximises the
 * expected number of successful pairs — the weights are the success probabilities predicted
 * by the outcome model, not the hand-set compatibility score.
 *
 * Cross-fitted: every labelled pair belongs to one of `folds` folds (a pair of the cohort
 * itself by its mentee, so all of a mentee's pairs share a fold); the mentees of fold k are
 * weighted by a model fitted without fold k. The figures of the matching are then computed
 * with the full model (the one every strategy is judged by), which chose none of its pairs.
 * Pure: arrays in, matching out.
 */
import { solveAssignmentWithCapacities } from "./assignment.ts";
import { FEATURE_COUNT, pairFeatures, type EncodedProgram } from "./compatibility.ts";
import { checkLabelCounts, fitLogistic, predict, type LogisticModel } from "./outcome-model.ts";
import { mulberry32, shuffleRange } from "./rng.ts";
import type { StrategyResult } from "./types.ts";

export interface LearnedInput {
  enc: EncodedProgram;
  rows: number;
  cols: number;
  /** Compatibility (mentee × mentor): only −Infinity (forbidden) is read. */
  scores: Float64Array;
  capacities: Int32Array;
  targetGapYears: number;
  /** Labelled training pairs: n × FEATURE_COUNT features and their labels. */
  x: Float64Array;
  y: Uint8Array;
  /** For each labelled pair, its mentee's index in this cohort, or −1 (a pair of another program). */
  owner: Int32Array;
  folds: number;
  seed: number;
}

export interface LearnedResult {
  matching: StrategyResult;
  /** The predicted success probabilities that chose the pairs (mentee × mentor, −Infinity = forbidden). */
  weights: Float64Array;
  folds: number;
  /** Sum of the choosing models' probabilities over the chosen pairs. */
  chosenExpectedSuccesses: number;
}

export class LearnedInsufficientError extends Error {}

/** The fold of each mentee (balanced, seeded) and of each labelled pair. */
export function crossFitFolds(rows: number, owner: Int32Array, folds: number, seed: number): { menteeFold: Int32Array; pairFold: Int32Array } {
  const rng = mulberry32(seed);
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  shuffleRange(order, 0, rows, rng);
  const menteeFold = new Int32Array(rows);
  order.forEach((i, t) => (menteeFold[i] = t % folds));
  const others = [];
  for (let r = 0; r < owner.length; r++) if (owner[r] < 0) others.push(r);
  const otherOrder = Int32Array.from(others);
  shuffleRange(otherOrder, 0, otherOrder.length, rng);
  const pairFold = new Int32Array(owner.length);
  for (let r = 0; r < owner.length; r++) if (owner[r] >= 0) pairFold[r] = menteeFold[owner[r]];
  otherOrder.forEach((r, t) => (pairFold[r] = t % folds));
  return { menteeFold, pairFold };
}

/** Success probability of every allowed cell under `model` for the mentees `which` (others untouched). */
export function fillProbabilities(
  enc: EncodedProgram,
  cols: number,
  scores: Float64Array,
  targetGapYears: number,
  model: LogisticModel,
  mentees: Iterable<number>,
  out: Float64Array,
): void {
  const features = new Float64Array(FEATURE_COUNT);
  for (const i of mentees) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) {
      if (scores[base + j] === -Infinity) {
        out[base + j] = -Infinity;
        continue;
      }
      pairFeatures(enc, j, i, targetGapYears, features);
      out[base + j] = predict(model, features);
    }
  }
}

/** The cross-fitted models: models[f] was fitted without fold f, and weighs the mentees of fold f. */
export function crossFittedModels(input: Pick<LearnedInput, "rows" | "x" | "y" | "owner" | "folds" | "seed">): { menteeFold: Int32Array; models: LogisticModel[] } {
  const { rows, x, y, owner, seed } = input;
  const folds = Math.max(2, input.folds);
  const { menteeFold, pairFold } = crossFitFolds(rows, owner, folds, seed);
  const models: LogisticModel[] = [];
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    for (let r = 0; r < y.length; r++) if (pairFold[r] !== f) train.push(r);
    const trainY = Uint8Array.from(train, (r) => y[r]);
    const insufficient = checkLabelCounts(trainY);
    if (insufficient) throw new LearnedInsufficientError(`fold ${f + 1} of ${folds}: ${insufficient.message}`);
    models.push(fitLogistic(x, y, FEATURE_COUNT, Int32Array.from(train)));
  }
  return { menteeFold, models };
}

/** A pair's cross-fitted success probability (the learned strategy's weight), for the sparse mode. */
export function learnedPairWeight(enc: EncodedProgram, targetGapYears: number, fitted: { menteeFold: Int32Array; models: LogisticModel[] }): (mentee: number, mentor: number) => number {
  const features = new Float64Array(FEATURE_COUNT);
  return (i, j) => {
    pairFeatures(enc, j, i, targetGapYears, features);
    return predict(fitted.models[fitted.menteeFold[i]], features);
  };
}

export function learnedStrategy(input: LearnedInput): LearnedResult {
  const { enc, rows, cols, scores, capacities, targetGapYears } = input;
  const folds = Math.max(2, input.folds);
  const { menteeFold, models } = crossFittedModels(input);
  const weights = new Float64Array(rows * cols);
  for (let f = 0; f < folds; f++) {
    const mentees: number[] = [];
    for (let i = 0; i < rows; i++) if (menteeFold[i] === f) mentees.push(i);
    fillProbabilities(enc, cols, scores, targetGapYears, models[f], mentees, weights);
  }
  const { rowToCol, total } = solveAssignmentWithCapacities(weights, rows, cols, capacities, { maximize: true });
  let matched = 0;
  for (const j of rowToCol) if (j >= 0) matched++;
  const mentee = new Int32Array(matched);
  const mentor = new Int32Array(matched);
  const unmatched = new Int32Array(rows - matched);
  for (let i = 0, k = 0, u = 0; i < rows; i++) {
    if (rowToCol[i] >= 0) {
      mentee[k] = i;
      mentor[k++] = rowToCol[i];
    } else unmatched[u++] = i;
  }
  return { matching: { mentee, mentor, unmatched }, weights, folds, chosenExpectedSuccesses: total };
}
