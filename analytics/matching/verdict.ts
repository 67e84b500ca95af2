/**
 * Who wins a simulation, in one sentence's worth of facts (pure; the page words it).
 *
 * The criterion is the outcome model's **expected successful pairs**: it counts both how many
 * mentees a strategy matches and how likely each pair is to succeed, so a strategy cannot win by
 * leaving mentees out. A strategy wins over the recorded pairs when the 95 % interval of its
 * gain (paired over the model's bootstrap refits, evaluate.ts `gainOver`) lies above 0;
 * otherwise no strategy is called better than what was done. Beside the gain, the verdict lists
 * what the winner gives up against the recorded pairs: intergenerational or cross-company reach,
 * and fairness (a wider gap between organizations or generations).
 *
 * `self_graded` says when the winner maximises the compatibility score, whose features are the
 * outcome model's own: the model then partly grades the choice it inspired, and the ranking is
 * to be read with that in mind (docs/matching.md, "Reading the verdict").
 */

import type { SimulationResult } from "./simulation.ts";

/** Strategies that choose pairs by the compatibility score (built on the outcome model's features). */
export const SCORE_MAXIMISERS: readonly string[] = ["greedy", "optimal", "stable", "reach"];

/** A change of a rate is a trade-off when it is worse by more than this (1 point). */
const TRADE_OFF_MIN = 0.01;

export interface VerdictRow {
  strategy: string;
  pairs: number | null;
  expected_successes: number | null;
  gain_over_recorded: number | null;
  gain_low: number | null;
  gain_high: number | null;
  cross_generation_rate: number | null;
  cross_company_rate: number | null;
  fairness_gap_organization: number | null;
  fairness_gap_generation: number | null;
}

export type TradeOffFigure = "cross_generation_rate" | "cross_company_rate" | "fairness_gap_organization" | "fairness_gap_generation";

export interface TradeOff {
  figure: TradeOffFigure;
  recorded: number;
  winner: number;
}

export type Verdict =
  | { kind: "no_model" }
  /** A new cohort: no recorded pairs to compare with; the strategy with the most expected successful pairs. */
  | { kind: "new_cohort"; best: string; expected_successes: number }
  /** `best` has more expected successful pairs than the recorded ones, beyond the interval. */
  | { kind: "winner"; best: string; gain: number; low: number; high: number; self_graded: boolean; trade_offs: TradeOff[] }
  /** The best point estimate is within its interval of the recorded pairs (or below them). */
  | { kind: "no_clear_winner"; best: string | null; gain: number | null; low: number | null; high: number | null; self_graded: boolean };

/**
 * The verdict of a comparison: `rows` as the result view gives them (one per strategy, with the
 * recorded matching's row when the program has pairs). `hasModel` false: no outcome model, no
 * verdict on success.
 */
export function verdictOf(rows: readonly VerdictRow[], hasModel: boolean): Verdict {
  if (!hasModel) return { kind: "no_model" };
  const recorded = rows.find((r) => r.strategy === "recorded");
  const candidates = rows.filter((r) => r.strategy !== "recorded" && r.expected_successes !== null);
  if (!recorded) {
    const best = maxBy(candidates, (r) => r.expected_successes!);
    return best ? { kind: "new_cohort", best: best.strategy, expected_successes: best.expected_successes! } : { kind: "no_model" };
  }
  const withGain = candidates.filter((r) => r.gain_over_recorded !== null && r.gain_low !== null && r.gain_high !== null);
  const best = maxBy(withGain, (r) => r.gain_over_recorded!);
  if (!best) return { kind: "no_clear_winner", best: null, gain: null, low: null, high: null, self_graded: false };
  const selfGraded = SCORE_MAXIMISERS.includes(best.strategy);
  if (best.gain_low! <= 0) {
    return { kind: "no_clear_winner", best: best.strategy, gain: best.gain_over_recorded, low: best.gain_low, high: best.gain_high, self_graded: selfGraded };
  }
  return {
    kind: "winner",
    best: best.strategy,
    gain: best.gain_over_recorded!,
    low: best.gain_low!,
    high: best.gain_high!,
    self_graded: selfGraded,
    trade_offs: tradeOffs(recorded, best),
  };
}

/** What the winner gives up against the recorded pairs: less reach, or a wider fairness gap. */
function tradeOffs(recorded: VerdictRow, winner: VerdictRow): TradeOff[] {
  const out: TradeOff[] = [];
  const worse = (figure: TradeOffFigure, higherIsBetter: boolean) => {
    const a = recorded[figure];
    const b = winner[figure];
    if (a === null || b === null) return;
    if (higherIsBetter ? a - b > TRADE_OFF_MIN : b - a > TRADE_OFF_MIN) out.push({ figure, recorded: a, winner: b });
  };
  worse("cross_generation_rate", true);
  worse("cross_company_rate", true);
  worse("fairness_gap_organization", false);
  worse("fairness_gap_generation", false);
  return out;
}

function maxBy<T>(items: readonly T[], key: (item: T) => number): T | null {
  let best: T | null = null;
  for (const item of items) if (best === null || key(item) > key(best)) best = item;
  return best;
}

/** Whether a higher value of a comparison column is better (null: neither, e.g. the age gap). */
export const BETTER_WHEN: Record<string, "higher" | "lower" | null> = {
  pairs: "higher",
  coverage: "higher",
  compatibility_mean: "higher",
  expected_successes: "higher",
  gain_over_recorded: "higher",
  predicted_success: "higher",
  cross_generation_rate: "higher",
  cross_company_rate: "higher",
  median_age_gap_years: null,
  blocking_pairs: "lower",
  fairness_gap_organization: "lower",
  fairness_gap_generation: "lower",
};

/**
 * The best value of each column that has a direction, over the rows (ties: every row that
 * reaches it is marked). Columns where every row is equal or null mark nothing.
 */
export function bestValues<R extends object>(rows: readonly R[], columns: readonly (keyof R & string)[]): Partial<Record<keyof R & string, number>> {
  const best: Partial<Record<keyof R & string, number>> = {};
  for (const column of columns) {
    const direction = BETTER_WHEN[column];
    if (!direction) continue;
    // Rounded to 1e-9: a mean over runs that equals a single run's figure on paper compares equal.
    const values = rows
      .map((r) => r[column] as unknown)
      .filter((v): v is number => typeof v === "number" && Number.isFinite(v))
      .map(round9);
    if (values.length < 2) continue;
    const top = direction === "higher" ? Math.max(...values) : Math.min(...values);
    const bottom = direction === "higher" ? Math.min(...values) : Math.max(...values);
    if (top !== bottom) best[column] = top;
  }
  return best;
}

/** Whether `value` is the column's best (bestValues), at the same rounding. */
export function isBest(best: Partial<Record<string, number>>, column: string, value: unknown): boolean {
  return typeof value === "number" && best[column] !== undefined && round9(value) === best[column];
}

function round9(v: number): number {
  return Math.round(v * 1e9) / 1e9;
}

/** A strategy's figures the verdict reads (the page's comparison row extends it). */
export function verdictRow(s: SimulationResult["strategies"][number]): VerdictRow {
  return {
    strategy: s.strategy,
    pairs: s.pairs.mean,
    expected_successes: s.predicted_success ? s.expected_successes.mean : null,
    gain_over_recorded: s.gain_over_recorded?.mean ?? null,
    gain_low: s.gain_over_recorded?.low ?? null,
    gain_high: s.gain_over_recorded?.high ?? null,
    cross_generation_rate: s.cross_generation_rate.mean,
    cross_company_rate: s.cross_company_rate.mean,
    fairness_gap_organization: s.fairness.gap_organization,
    fairness_gap_generation: s.fairness.gap_generation,
  };
}

/** The verdict of a whole result (the CLI's; the page's comes from its comparison rows, which are the same figures). */
export function verdictOfResult(result: SimulationResult): Verdict {
  return verdictOf(result.strategies.map(verdictRow), result.model.status === "ok");
}

const TRADE_OFF_WORDS: Record<TradeOffFigure, string> = {
  cross_generation_rate: "cross-generation pairs",
  cross_company_rate: "cross-company pairs",
  fairness_gap_organization: "fairness between organizations (gap)",
  fairness_gap_generation: "fairness between generations (gap)",
};

/** The verdict in one English paragraph (the CLI's table output; the page words it in the reader's language). */
export function verdictText(v: Verdict): string {
  const n = (x: number) => `${x > 0 ? "+" : ""}${x.toFixed(1)}`;
  const p = (x: number) => `${(x * 100).toFixed(1)} %`;
  const caveat =
    " Caution: it maximises the compatibility score, built on the outcome model's own features, so the model partly grades the choice it inspired (an upper estimate).";
  switch (v.kind) {
    case "no_model":
      return "Verdict: none on success (no outcome model); compare coverage, reach and fairness.";
    case "new_cohort":
      return `Verdict: a new cohort (no recorded pairs); ${v.best} gives the most expected successful pairs (${v.expected_successes.toFixed(1)}).`;
    case "winner": {
      const costs = v.trade_offs.map((t) => `${TRADE_OFF_WORDS[t.figure]} ${p(t.winner)} instead of ${p(t.recorded)}`);
      return (
        `Verdict: ${v.best} gives ${n(v.gain)} expected successful pairs over the recorded ones (95 % interval ${n(v.low)} to ${n(v.high)}); ` +
        (costs.length > 0 ? `it gives up ${costs.join("; ")}.` : "at no cost in reach or fairness.") +
        (v.self_graded ? caveat : "")
      );
    }
    case "no_clear_winner":
      return v.best === null
        ? "Verdict: no strategy can be compared with the recorded pairs."
        : `Verdict: no strategy does clearly better than the recorded pairs; the best, ${v.best}, gives ${n(v.gain!)} (95 % interval ${n(v.low!)} to ${n(v.high!)}).` +
            (v.self_graded ? caveat : "");
  }
}
