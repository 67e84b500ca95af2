/**
 * Early warning: a pair-level model of early termination that uses only what is known 1, 2 and
 * 3 months after matching — meetings and offline meetings so far, topics acquired so far, and
 * the pair's features known at matching (compatibility score, cross-company, age gap, job level
 * gap, same city). Pure: the facts come from `sql/matching/early_warning_pairs.sql`.
 *
 * One logistic model per horizon (1, 2, 3 months) of the event "the pair ends early within the
 * next 3 months", fitted on the pairs still open at the horizon whose outcome over that window
 * is known: 1 = ended early in the window; 0 = completed, or still going (or ended early later)
 * once the whole window is past as_of. A pair still active whose window is not over is
 * **censored**: not a success, not a failure, left out of the fit (it is what the model scores).
 * Its quality is held out
 * (stratified 5-fold cross-validation: AUC, Brier score against the base rate, and the
 * calibration table by decile of predicted risk); too few labelled pairs or events gives
 * `insufficient_data` with the counts, as the outcome model does.
 *
 * An active pair is scored by the model of the latest horizon it has reached (3 months at
 * most): its probability of ending early within the 3 months after that horizon. The score orders pairs within a category of the
 * attention list and never changes which category a pair is in (docs/matching.md).
 */
import { checkLabelCounts, fitOutcomeModel, MIN_LABELLED, MIN_PER_OUTCOME, predict, type CalibrationBin, type FeatureEffect, type LogisticModel } from "./outcome-model.ts";
import { deriveSeed } from "./rng.ts";

export const EARLY_WARNING_HORIZONS = [1, 2, 3] as const;
export const EARLY_WARNING_FEATURES = [
  "meetings",
  "offline_meetings",
  "topics_acquired",
  "compatibility",
  "cross_company",
  "age_gap_years",
  "job_level_gap",
  "same_city",
] as const;

/** One row of `sql/matching/early_warning_pairs.sql`: a pair at one horizon. */
export interface EarlyWarningFacts {
  pair_id: string;
  mentor_id: string;
  mentee_id: string;
  mentor_org_id: string;
  mentee_org_id: string;
  month: number;
  cutoff: string;
  is_reached: boolean;
  is_open_at_cutoff: boolean;
  status: string;
  /** Ended early before cutoff + 3 months. */
  is_ended_early_in_window: boolean;
  /** cutoff + 3 months is on or before as_of. */
  is_window_observed: boolean;
  meetings: number;
  offline_meetings: number;
  topics_acquired: number;
  match_score: number | null;
  is_cross_company: boolean | null;
  age_gap_years: number | null;
  job_level_gap: number | null;
  is_same_city: boolean | null;
}

export type HorizonModel =
  | {
      month: number;
      status: "ok";
      /** Pairs open at the horizon whose 3-month outcome is known (the training set). */
      labelled: number;
      /** Of them, pairs that ended early within the 3 months. */
      ended_early: number;
      held_out: { method: string; auc: number | null; brier: number; brier_base_rate: number; calibration: CalibrationBin[] };
      effects: FeatureEffect[];
    }
  | { month: number; status: "insufficient_data"; labelled: number; ended_early: number; message: string };

export interface PairRisk {
  pair_id: string;
  mentor_id: string;
  mentee_id: string;
  mentor_org_id: string;
  mentee_org_id: string;
  /** The horizon whose model scored the pair (the latest it has reached). */
  month: number;
  /** Predicted probability that the pair ends early within the 3 months after `month`. */
  risk: number;
}

export interface EarlyWarning {
  features: readonly string[];
  horizons: HorizonModel[];
  /** Active pairs with a score, highest risk first (ties by pair id). */
  pairs: PairRisk[];
  /** Active pairs matched less than a month before as_of, or whose horizons have no model: not scored. */
  unscored: { pair_id: string; mentor_org_id: string; mentee_org_id: string }[];
}

function featureRow(f: EarlyWarningFacts): number[] {
  const flag = (v: boolean | null) => (v === null ? NaN : v ? 1 : 0);
  return [
    f.meetings,
    f.offline_meetings,
    f.topics_acquired,
    f.match_score ?? NaN,
    flag(f.is_cross_company),
    f.age_gap_years ?? NaN,
    f.job_level_gap ?? NaN,
    flag(f.is_same_city),
  ];
}

/** The window's outcome: 1 ended early in it, 0 did not (known), null censored (active, window not over) or not open at the horizon. */
export function windowLabel(f: EarlyWarningFacts): 0 | 1 | null {
  if (!f.is_reached || !f.is_open_at_cutoff) return null;
  if (f.is_ended_early_in_window) return 1;
  if (f.status === "completed" || f.is_window_observed) return 0;
  return null;
}

/** Fits the three horizons' models and scores the active pairs. */
export function earlyWarning(facts: readonly EarlyWarningFacts[], options: { seed: number; bootstrap?: number }): EarlyWarning {
  const p = EARLY_WARNING_FEATURES.length;
  const horizons: HorizonModel[] = [];
  const models = new Map<number, LogisticModel>();
  for (const month of EARLY_WARNING_HORIZONS) {
    const rows = facts.filter((f) => f.month === month && windowLabel(f) !== null);
    const x = new Float64Array(rows.length * p);
    const y = new Uint8Array(rows.length);
    rows.forEach((f, i) => {
      x.set(featureRow(f), i * p);
      y[i] = windowLabel(f)!;
    });
    const events = y.reduce((a, v) => a + v, 0);
    if (checkLabelCounts(y)) {
      horizons.push({
        month,
        status: "insufficient_data",
        labelled: rows.length,
        ended_early: events,
        message: insufficientMessage(month, rows.length, events),
      });
      continue;
    }
    const fitted = fitOutcomeModel(x, y, EARLY_WARNING_FEATURES, { seed: deriveSeed(options.seed, "early-warning", month), bootstrap: options.bootstrap ?? 100 });
    if (fitted.status !== "ok") {
      horizons.push({ month, status: "insufficient_data", labelled: rows.length, ended_early: events, message: insufficientMessage(month, rows.length, events) });
      continue;
    }
    models.set(month, fitted.model);
    horizons.push({ month, status: "ok", labelled: fitted.labelled, ended_early: events, held_out: fitted.heldOut, effects: fitted.effects });
  }

  const byPair = new Map<string, EarlyWarningFacts[]>();
  for (const f of facts) if (f.status === "active") byPair.set(f.pair_id, [...(byPair.get(f.pair_id) ?? []), f]);
  const pairs: PairRisk[] = [];
  const unscored: EarlyWarning["unscored"] = [];
  for (const rows of byPair.values()) {
    const reached = rows.filter((f) => f.is_reached && models.has(f.month)).sort((a, b) => b.month - a.month)[0];
    if (!reached) {
      const [{ pair_id, mentor_org_id, mentee_org_id }] = rows;
      unscored.push({ pair_id, mentor_org_id, mentee_org_id });
      continue;
    }
    const risk = predict(models.get(reached.month)!, Float64Array.from(featureRow(reached)));
    pairs.push({
      pair_id: reached.pair_id,
      mentor_id: reached.mentor_id,
      mentee_id: reached.mentee_id,
      mentor_org_id: reached.mentor_org_id,
      mentee_org_id: reached.mentee_org_id,
      month: reached.month,
      risk,
    });
  }
  pairs.sort((a, b) => b.risk - a.risk || (a.pair_id < b.pair_id ? -1 : a.pair_id > b.pair_id ? 1 : 0));
  return { features: EARLY_WARNING_FEATURES, horizons, pairs, unscored };
}

function insufficientMessage(month: number, labelled: number, events: number): string {
  return (
    `not enough pairs to learn early termination at ${month} month${month > 1 ? "s" : ""}: ${labelled} pairs open then whose next 3 months are known ` +
    `(${events} ended early in them, ${labelled - events} did not); at least ${MIN_LABELLED} and ${MIN_PER_OUTCOME} of each outcome are needed`
  );
}
