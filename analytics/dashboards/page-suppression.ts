/**
 * Small-cell suppression for the rows of the topic, generation and cost pages, through the
 * report's own rules (`analytics/metrics/suppression.ts`, never re-implemented): the row
 * decision (k, then complementary hiding) comes from `suppressBreakdown` on the people behind
 * each row, and each mean or rate is checked through the same function's field rule with the
 * people behind that figure.
 */
import { suppressBreakdown, type GroupFigures } from "../metrics/suppression.ts";

export interface SuppressionSpec<T> {
  /** The distinct people behind the row (what k applies to). */
  people: (row: T) => number;
  /** Figures (means, rates, medians) computed from a subset of people: the people behind each. */
  figures?: Partial<Record<keyof T & string, (row: T) => number>>;
  /** Keys that identify the row and stay visible when it is hidden (group key, label…). */
  keep: readonly (keyof T & string)[];
}

export type Suppressed<T> = T & { suppressed: boolean; suppressed_fields: string[] };

function asGroup(group: string, people: number, rate: number | null = null, ratePeople = 0): GroupFigures {
  return {
    group,
    label: null,
    participants: people,
    pairs: 0,
    midpoint_satisfaction_mean: null,
    midpoint_respondents: 0,
    completion_rate: rate,
    completion_mentees: ratePeople,
  };
}

/**
 * Applies suppression with threshold k (null: none, the admin audience) to rows keyed by
 * `groupOf`. Hidden rows keep their `keep` keys and have every other field null; shown rows
 * have each figure of `figures` nulled when fewer than k people are behind it. Row order is kept.
 */
export function suppressRows<T extends object>(
  rows: readonly T[],
  k: number | null,
  groupOf: (row: T) => string,
  spec: SuppressionSpec<T>,
): Suppressed<T>[] {
  if (k === null) return rows.map((r) => ({ ...r, suppressed: false, suppressed_fields: [] }));
  const keys = rows.map(groupOf);
  if (new Set(keys).size !== keys.length) throw new Error(`suppressRows: duplicate group keys in ${JSON.stringify(keys)}`);
  const rowResult = new Map(suppressBreakdown(rows.map((r, i) => asGroup(keys[i], spec.people(r))), k).map((b) => [b.group, b]));
  const hiddenFields = new Map<string, string[]>(keys.map((key) => [key, []]));
  for (const [field, peopleOf] of Object.entries(spec.figures ?? {}) as [string, (row: T) => number][]) {
    const checked = suppressBreakdown(
      rows.map((r, i) => {
        const value = (r as unknown as Record<string, unknown>)[field];
        return asGroup(keys[i], spec.people(r), typeof value === "number" ? value : null, peopleOf(r));
      }),
      k,
    );
    for (const b of checked) if (!b.suppressed && b.suppressed_fields.includes("completion_rate")) hiddenFields.get(b.group)!.push(field);
  }
  return rows.map((r, i) => {
    const key = keys[i];
    if (rowResult.get(key)!.suppressed) {
      const hidden: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(r)) hidden[name] = spec.keep.includes(name as keyof T & string) ? value : null;
      const fields = Object.keys(r).filter((n) => !spec.keep.includes(n as keyof T & string));
      return { ...(hidden as unknown as T), suppressed: true, suppressed_fields: fields };
    }
    const fields = hiddenFields.get(key)!;
    const shown = { ...r } as unknown as Record<string, unknown>;
    for (const f of fields) shown[f] = null;
    return { ...(shown as unknown as T), suppressed: false, suppressed_fields: fields };
  });
}

/**
 * Hides, in rows already suppressed for this view, the rows a protected reader sees hidden in
 * every view (analytics/privacy/consistent.server.ts): `forced` holds their keys. Hidden rows
 * keep their `keep` keys and have every other field null, as `suppressRows` does.
 */
export function hideForced<R extends { suppressed: boolean; suppressed_fields: string[] }>(rows: R[], forced: ReadonlySet<string> | null, keyOf: (r: R) => string, keep: readonly string[]): R[] {
  if (!forced) return rows;
  return rows.map((r) => {
    if (r.suppressed || !forced.has(keyOf(r))) return r;
    const hidden: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(r)) hidden[name] = keep.includes(name) ? value : null;
    return { ...(hidden as R), suppressed: true, suppressed_fields: Object.keys(r).filter((n) => !keep.includes(n) && n !== "suppressed" && n !== "suppressed_fields") };
  });
}
