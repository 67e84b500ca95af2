/**
 * Honest validation of the outcome model (issue 15, item 2): out of time when the data allow
 * it — trained on earlier editions (programs.previous_program_id) or earlier intake cohorts
 * (months of matched_at), tested on the later one — with 5-fold cross-validation as the
 * second figure. For each strategy, the model's prediction against the realised success on
 * the later pairs it shares with the recorded matching. Pure.
 */
import { FEATURE_COUNT, pairFeatures, encodeProgram } from "./compatibility.ts";
import { auc, brier, calibrationByDecile, checkLabelCounts, fitLogistic, predict, type CalibrationBin } from "./outcome-model.ts";
import { OUT_OF_TIME_REASONS } from "./reasons.ts";
import { pairLabel, type Matching, type ProgramData, type RecordedPair } from "./types.ts";

export interface SharedPairs {
  strategy: string;
  /** Later labelled recorded pairs that the strategy also forms. */
  shared: number;
  mean_predicted: number | null;
  realised_rate: number | null;
}

export interface OutOfTime {
  method: "editions" | "intake_cohorts";
  /** The programs trained on (the earlier editions, or the program itself for intake cohorts). */
  programs: string[];
  /** Intake cohorts: the months (YYYY-MM) trained on and tested on; empty for editions. */
  train_months: string[];
  test_months: string[];
  /** What was trained on and what was tested, in words. */
  trained_on: string;
  tested_on: string;
  train_labelled: number;
  test_labelled: number;
  test_successes: number;
  auc: number | null;
  brier: number;
  brier_base_rate: number;
  calibration: CalibrationBin[];
  strategies: SharedPairs[];
}

export interface Validation {
  /** Which figure the page and the CLI show first. */
  headline: "out_of_time" | "cross_validation";
  out_of_time: OutOfTime | null;
  /** Why there is no out-of-time figure, when there is none. */
  out_of_time_reason: string | null;
}

interface Labelled {
  x: number[];
  y: number;
  mentor: string;
  mentee: string;
  month: string | null;
}

/** Calls `each` with every labelled recorded pair of `program`, its mentee and mentor indices, label and features. */
function forEachLabelled(
  program: ProgramData,
  targetGapYears: number,
  each: (pair: RecordedPair, mentee: number, label: boolean, features: Float64Array) => void,
): void {
  const enc = encodeProgram(program.kind, program.mentors, program.mentees);
  const mentorIndex = new Map(program.mentors.map((p, j) => [p.id, j]));
  const menteeIndex = new Map(program.mentees.map((p, i) => [p.id, i]));
  const buffer = new Float64Array(FEATURE_COUNT);
  for (const pair of program.pairs) {
    const label = pairLabel(pair);
    const j = mentorIndex.get(pair.mentorId);
    const i = menteeIndex.get(pair.menteeId);
    if (label === null || i === undefined || j === undefined) continue;
    pairFeatures(enc, j, i, targetGapYears, buffer);
    each(pair, i, label, buffer);
  }
}

/**
 * Features and labels of the labelled recorded pairs of some programs; `owner[r]` is the
 * index of pair r's mentee in `cohort` when the pair is one of that program's, else −1.
 */
export function labelledFeatures(programs: ProgramData[], targetGapYears: number, cohort?: ProgramData): { x: Float64Array; y: Uint8Array; owner: Int32Array } {
  const rows: number[] = [];
  const labels: number[] = [];
  const owners: number[] = [];
  for (const program of programs) {
    const own = cohort !== undefined && program.programId === cohort.programId;
    forEachLabelled(program, targetGapYears, (_pair, i, label, features) => {
      rows.push(...features);
      labels.push(label ? 1 : 0);
      owners.push(own ? i : -1);
    });
  }
  return { x: Float64Array.from(rows), y: Uint8Array.from(labels), owner: Int32Array.from(owners) };
}

function labelled(program: ProgramData, targetGapYears: number): Labelled[] {
  const out: Labelled[] = [];
  forEachLabelled(program, targetGapYears, (pair, _i, label, features) => {
    out.push({ x: Array.from(features), y: label ? 1 : 0, mentor: pair.mentorId, mentee: pair.menteeId, month: pair.matchedAt ? pair.matchedAt.slice(0, 7) : null });
  });
  return out;
}

/**
 * The split: the earlier editions' labelled pairs against the program's when an edition has
 * labels; else the program's intake months, the latest ones (at least 20 % of the labelled
 * pairs) tested against the earlier ones. Null with the reason when neither is possible.
 */
function split(
  program: ProgramData,
  earlier: ProgramData[],
  targetGapYears: number,
): { train: Labelled[]; test: Labelled[]; method: OutOfTime["method"]; programs: string[]; train_months: string[]; test_months: string[]; trained_on: string; tested_on: string } | string {
  const own = labelled(program, targetGapYears);
  if (own.length === 0) return OUT_OF_TIME_REASONS.noLabelled;
  const previous = earlier.flatMap((p) => labelled(p, targetGapYears));
  if (previous.length > 0) {
    return {
      train: previous,
      test: own,
      method: "editions",
      programs: earlier.map((p) => p.programId),
      train_months: [],
      test_months: [],
      trained_on: `earlier editions ${earlier.map((p) => p.programId).join(", ")}`,
      tested_on: `this edition, ${program.programId}`,
    };
  }
  const months = [...new Set(own.map((l) => l.month).filter((m): m is string => m !== null))].sort();
  if (months.length < 2) return OUT_OF_TIME_REASONS.oneMonth;
  const test = new Set<string>();
  let count = 0;
  for (let k = months.length - 1; k > 0 && count < 0.2 * own.length; k--) {
    test.add(months[k]);
    count += own.filter((l) => l.month === months[k]).length;
  }
  const tested = [...test].sort();
  return {
    train: own.filter((l) => l.month !== null && !test.has(l.month)),
    test: own.filter((l) => l.month !== null && test.has(l.month)),
    method: "intake_cohorts",
    programs: [program.programId],
    train_months: months.filter((m) => !test.has(m)),
    test_months: tested,
    trained_on: `pairs matched in ${months.filter((m) => !test.has(m)).join(", ")}`,
    tested_on: `pairs matched in ${tested.join(", ")}`,
  };
}

export function validateOutOfTime(
  program: ProgramData,
  earlier: ProgramData[],
  targetGapYears: number,
  matchings: { strategy: string; matching: Matching }[],
): Validation {
  const parts = split(program, earlier, targetGapYears);
  if (typeof parts === "string") return { headline: "cross_validation", out_of_time: null, out_of_time_reason: parts };
  const { train, test } = parts;
  const trainY = Uint8Array.from(train, (l) => l.y);
  const testY = Uint8Array.from(test, (l) => l.y);
  const short = checkLabelCounts(trainY) ?? checkLabelCounts(testY);
  if (short) {
    return { headline: "cross_validation", out_of_time: null, out_of_time_reason: `${parts.trained_on} → ${parts.tested_on}: ${short.message}` };
  }
  const model = fitLogistic(Float64Array.from(train.flatMap((l) => l.x)), trainY, FEATURE_COUNT);
  const predicted = Float64Array.from(test, (l) => predict(model, Float64Array.from(l.x)));
  let successes = 0;
  for (const v of testY) successes += v;
  const base = successes / testY.length;
  const byPair = new Map<string, number[]>();
  test.forEach((l, t) => {
    const key = `${l.mentor}\u0000${l.mentee}`;
    byPair.set(key, [...(byPair.get(key) ?? []), t]);
  });
  const strategies = matchings.map(({ strategy, matching }) => {
    let shared = 0;
    let p = 0;
    let r = 0;
    for (let k = 0; k < matching.mentee.length; k++) {
      const key = `${program.mentors[matching.mentor[k]].id}\u0000${program.mentees[matching.mentee[k]].id}`;
      for (const t of byPair.get(key) ?? []) {
        shared++;
        p += predicted[t];
        r += testY[t];
      }
    }
    return { strategy, shared, mean_predicted: shared > 0 ? p / shared : null, realised_rate: shared > 0 ? r / shared : null };
  });
  return {
    headline: "out_of_time",
    out_of_time_reason: null,
    out_of_time: {
      method: parts.method,
      programs: parts.programs,
      train_months: parts.train_months,
      test_months: parts.test_months,
      trained_on: parts.trained_on,
      tested_on: parts.tested_on,
      train_labelled: train.length,
      test_labelled: test.length,
      test_successes: successes,
      auc: auc(predicted, testY),
      brier: brier(predicted, testY),
      brier_base_rate: base * (1 - base),
      calibration: calibrationByDecile(predicted, testY),
      strategies,
    },
  };
}
