/**
 * Means withheld consistently across views (docs/privacy.md, rule 3). Pure.
 *
 * A published mean over n answers, with n shown, publishes the sum of those answers. Sums add:
 * the mean of the mentees of an organization is the organization's members' mean (report) times
 * their answers minus its mentors' (quality page, role = mentor); the mean of one period block
 * is the mean of two blocks minus the other's. So a mean withheld in one view — because fewer
 * than k people gave it, or because next to its histogram it would give hidden bars away
 * (./linked.ts) — stays withheld only if no combination of the published means gives its sum.
 *
 * Each mean is a set of answers. Only answers whose score is hidden matter (the shown bars of
 * every view are published, so the sum of the answers with shown scores is known anyway), and
 * answers that every view contains or leaves out alike are one column. A withheld mean is
 * exposed when its column vector is in the span of the published ones; then the published
 * mean of lowest priority that the combination uses is withheld too, until none is exposed.
 */

export interface MeanView {
  key: string;
  /** Indices of the answers (with a hidden score) the mean is taken over. */
  answers: readonly number[];
  /** Withheld whatever the others show (fewer than k respondents, or it reveals hidden bars). */
  withheld: boolean;
  /** Which published mean gives way first when one must: the lowest priority, then the fewest answers. */
  priority: number;
}

const EPS = 1e-9;

/** The keys of the means to withhold: the given ones and those needed to keep them undetermined. */
export function withheldMeans(views: readonly MeanView[]): Set<string> {
  const withheld = new Set<string>(views.filter((v) => v.withheld).map((v) => v.key));
  const live = views.filter((v) => v.answers.length > 0);
  if (!live.some((v) => v.withheld)) return withheld;

  // Columns: answers with the same membership across every view.
  const signature = new Map<number, number[]>();
  live.forEach((v, i) => {
    for (const a of v.answers) {
      let s = signature.get(a);
      if (!s) signature.set(a, (s = []));
      if (s[s.length - 1] !== i) s.push(i);
    }
  });
  const columnOf = new Map<string, number>();
  const rows: Set<number>[] = live.map(() => new Set());
  for (const s of signature.values()) {
    const key = s.join(",");
    let c = columnOf.get(key);
    if (c === undefined) columnOf.set(key, (c = columnOf.size));
    for (const i of s) rows[i].add(c);
  }
  const width = columnOf.size;
  const dense = (i: number) => {
    const x = new Float64Array(width);
    for (const c of rows[i]) x[c] = 1;
    return x;
  };

  // Published means, most important first: the order in which they enter the basis.
  const order = live
    .map((v, i) => ({ v, i }))
    .sort((a, b) => b.v.priority - a.v.priority || b.v.answers.length - a.v.answers.length || (a.v.key < b.v.key ? -1 : a.v.key > b.v.key ? 1 : 0));

  for (;;) {
    const basis: { x: Float64Array; pivot: number; combo: Map<number, number> }[] = [];
    const reduce = (x: Float64Array, combo: Map<number, number>) => {
      for (const b of basis) {
        const f = x[b.pivot] / b.x[b.pivot];
        if (Math.abs(f) < EPS) continue;
        for (let c = 0; c < width; c++) if (b.x[c] !== 0) x[c] -= f * b.x[c];
        for (const [j, w] of b.combo) combo.set(j, (combo.get(j) ?? 0) - f * w);
      }
    };
    for (const { v, i } of order) {
      if (withheld.has(v.key)) continue;
      const x = dense(i);
      const combo = new Map<number, number>([[i, 1]]);
      reduce(x, combo);
      let pivot = -1;
      for (let c = 0; c < width; c++) if (Math.abs(x[c]) > EPS && (pivot < 0 || Math.abs(x[c]) > Math.abs(x[pivot]) + EPS)) pivot = c;
      if (pivot >= 0) basis.push({ x, pivot, combo });
    }
    let widened = false;
    for (const { v, i } of order) {
      if (!withheld.has(v.key)) continue;
      const x = dense(i);
      const combo = new Map<number, number>();
      reduce(x, combo);
      if (x.some((value) => Math.abs(value) > EPS)) continue; // not a combination: stays undetermined
      // x_t = −combo · published: withhold the least important published mean it uses.
      const used = [...combo].filter(([, w]) => Math.abs(w) > EPS).map(([j]) => j);
      if (used.length === 0) continue;
      const rank = new Map(order.map((o, r) => [o.i, r]));
      const victim = used.reduce((worst, j) => (rank.get(j)! > rank.get(worst)! ? j : worst));
      withheld.add(live[victim].key);
      widened = true;
      break;
    }
    if (!widened) return withheld;
  }
}
