/**
 * Consistent hiding of breakdown categories across views (docs/privacy.md, rule 2). Pure.
 *
 * A histogram of answers or a table of end reasons is shown for every filter combination a
 * reader can reach. Hidden per view, a score hidden in the mentees' view but shown in the whole
 * program's and the mentors' is their difference. So a category hidden in any view is hidden in
 * every view of that table: the set is grown to a fixed point of the per-view rule (a category
 * of 1 to k − 1 people is hidden; while one category alone, or categories holding fewer than k
 * people together, are hidden, the smallest shown one is hidden too).
 */

export interface CategoryRow {
  key: string;
  /** Distinct people behind the category in this view. */
  people: number;
}

/** The per-view rule with `forced` categories hidden from the start. */
export function closeHidden(rows: readonly CategoryRow[], forced: ReadonlySet<string>, k: number): Set<string> {
  const hidden = new Set<string>();
  for (const r of rows) if (forced.has(r.key) || (r.people > 0 && r.people < k)) hidden.add(r.key);
  for (;;) {
    if (hidden.size === 0) break;
    const hiddenPeople = rows.filter((r) => hidden.has(r.key)).reduce((sum, r) => sum + r.people, 0);
    if (hidden.size > 1 && hiddenPeople >= k) break;
    const shown = rows.filter((r) => !hidden.has(r.key) && r.people > 0);
    if (shown.length === 0) break;
    // The smallest shown category (ties: first by key), as suppressBreakdown does.
    const smallest = shown.reduce((min, r) => (r.people < min.people || (r.people === min.people && r.key < min.key) ? r : min));
    hidden.add(smallest.key);
  }
  return hidden;
}

/** The categories to hide in every view: the fixed point of the per-view rule over `views`. */
export function consistentHidden(views: readonly (readonly CategoryRow[])[], k: number): Set<string> {
  let hidden = new Set<string>();
  for (;;) {
    const next = new Set(hidden);
    for (const rows of views) for (const key of closeHidden(rows, hidden, k)) next.add(key);
    if (next.size === hidden.size) return hidden;
    hidden = next;
  }
}
