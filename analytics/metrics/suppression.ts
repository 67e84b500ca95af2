/**
 * Small-cell suppression of breakdown rows (docs/metrics.md, "Suppression"). Pure: takes the
 * computed figures of one breakdown and returns the rows as published.
 */

/** The figures of a breakdown row that a suppressed row hides. */
export const ROW_FIGURES = ["participants", "pairs", "midpoint_satisfaction_mean", "completion_rate"] as const;
export type RowFigure = (typeof ROW_FIGURES)[number];

/** One breakdown group as computed, with the people behind each mean or rate. */
export interface GroupFigures {
  group: string;
  label: string | null;
  participants: number;
  pairs: number;
  midpoint_satisfaction_mean: number | null;
  /** Distinct members of the group who gave a midpoint answer. */
  midpoint_respondents: number;
  completion_rate: number | null;
  /** Distinct mentees in the group whose pairs have targeted topics. */
  completion_mentees: number;
}

/** One breakdown row as published (the JSON contract's ROW). */
export interface BreakdownRow {
  group: string;
  label: string | null;
  participants: number | null;
  pairs: number | null;
  midpoint_satisfaction_mean: number | null;
  completion_rate: number | null;
  suppressed: boolean;
  suppressed_fields: RowFigure[];
}

/** The smallest k any audience may use; the default. */
export const MIN_K = 3;
export const DEFAULT_K = 5;

function compareGroups(a: { group: string }, b: { group: string }): number {
  return a.group < b.group ? -1 : a.group > b.group ? 1 : 0;
}

/**
 * Applies the rules for threshold `k` (null: no suppression, the admin audience):
 * 1. a row with fewer than k participants is hidden (every figure null, `suppressed: true`);
 * 2. while rows are hidden and either exactly one is hidden or the hidden rows hold fewer
 *    than k participants together, the smallest shown row (ties: first by group) is hidden
 *    too, so that no hidden count can be recovered by subtraction from the total;
 * 3. in a shown row, a mean or rate computed from 1 to k − 1 people is null and named in
 *    `suppressed_fields`. (A mean of nobody is null already: not computable, not hidden.)
 * Rows come back ordered by group.
 */
export function suppressBreakdown(groups: readonly GroupFigures[], k: number | null): BreakdownRow[] {
  const sorted = [...groups].sort(compareGroups);
  if (k === null) {
    return sorted.map((g) => ({
      group: g.group,
      label: g.label,
      participants: g.participants,
      pairs: g.pairs,
      midpoint_satisfaction_mean: g.midpoint_satisfaction_mean,
      completion_rate: g.completion_rate,
      suppressed: false,
      suppressed_fields: [],
    }));
  }
  if (!Number.isInteger(k) || k < MIN_K) throw new RangeError(`invalid k: ${JSON.stringify(k)} (an integer ≥ ${MIN_K})`);

  const hidden = new Set<GroupFigures>(sorted.filter((g) => g.participants < k));
  for (;;) {
    if (hidden.size === 0) break;
    const hiddenTotal = [...hidden].reduce((sum, g) => sum + g.participants, 0);
    if (hidden.size > 1 && hiddenTotal >= k) break;
    const shown = sorted.filter((g) => !hidden.has(g));
    if (shown.length === 0) break;
    const smallest = shown.reduce((min, g) => (g.participants < min.participants ? g : min));
    hidden.add(smallest);
  }

  return sorted.map((g): BreakdownRow => {
    if (hidden.has(g)) {
      return {
        group: g.group,
        label: g.label,
        participants: null,
        pairs: null,
        midpoint_satisfaction_mean: null,
        completion_rate: null,
        suppressed: true,
        suppressed_fields: [...ROW_FIGURES],
      };
    }
    const suppressed_fields: RowFigure[] = [];
    const tooFew = (people: number, value: number | null) => value !== null && people > 0 && people < k;
    const hideMean = tooFew(g.midpoint_respondents, g.midpoint_satisfaction_mean);
    const hideRate = tooFew(g.completion_mentees, g.completion_rate);
    if (hideMean) suppressed_fields.push("midpoint_satisfaction_mean");
    if (hideRate) suppressed_fields.push("completion_rate");
    return {
      group: g.group,
      label: g.label,
      participants: g.participants,
      pairs: g.pairs,
      midpoint_satisfaction_mean: hideMean ? null : g.midpoint_satisfaction_mean,
      completion_rate: hideRate ? null : g.completion_rate,
      suppressed: false,
      suppressed_fields,
    };
  });
}

/**
 * A figure computed from `people` distinct people: null (hidden) for a non-admin audience when
 * 1 ≤ people < k — rule 3 above, for a single mean or rate outside a breakdown.
 */
export function hideSmall(value: number | null, people: number, k: number | null): number | null {
  if (value === null || k === null) return value;
  return people > 0 && people < k ? null : value;
}
