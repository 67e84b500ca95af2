/**
 * The sparse mode's candidate pass without scoring every pair (issue 15, item 5: the
 * 200,000-participant scale demo is 10^10 pairs). People are grouped so that one bound holds for
 * every pair of two groups (ScoreGroups, compatibility.ts: they differ only by their topics).
 * For each mentee, the mentor groups are visited in decreasing order of their bound and a
 * group's mentors are scored only while the bound can still enter the mentee's k best; the
 * same for each mentor over the mentee groups. Ties break by a seeded hash of the pair
 * (pairTie), so the k best of a person do not depend on the visiting order: they are exactly
 * the k best of a full scan under that rule (tested against one). Then the same seeded fallback edges as the
 * full scan (finishCandidateGraph). Pure.
 */
import type { ProgramScorer, ScoreGroups } from "./compatibility.ts";
import { finishCandidateGraph, type CandidateGraph, type CandidateOptions } from "./sparse-assignment.ts";

/** Buckets of the visiting order (a counting sort of the bounds, per group). */
const BUCKETS = 2048;

interface Side {
  count: number;
  group: Int32Array;
  groups: number;
}

/** Members of each group in CSR form, by increasing index. */
function membersOf(side: Side): { start: Int32Array; member: Int32Array } {
  const start = new Int32Array(side.groups + 1);
  for (let i = 0; i < side.count; i++) start[side.group[i] + 1]++;
  for (let g = 0; g < side.groups; g++) start[g + 1] += start[g];
  const fill = start.slice(0, side.groups);
  const member = new Int32Array(side.count);
  for (let i = 0; i < side.count; i++) member[fill[side.group[i]]++] = i;
  return { start, member };
}

/**
 * The tie-break of a pair (mentee i, mentor j): a seeded hash, so that equal scores do not all
 * go to the same low-index people (their lists would overlap and the matching lose pairs).
 */
export function pairTie(seed: number, i: number, j: number): number {
  let h = Math.imul(i ^ seed, 0x9e3779b1) ^ Math.imul(j + 0x7f4a7c15, 0x85ebca6b);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Whether partner id of score s is worse than partner jd of score t: a lower score, then a higher tie key, then a higher index. */
function worse(s: number, id: number, t: number, jd: number, tie: (id: number) => number): boolean {
  if (s !== t) return s < t;
  const a = tie(id);
  const b = tie(jd);
  return a !== b ? a > b : id > jd;
}

/** Offers (s, i) to the heap (root = worst) at [base, base + cap) holding `size`; returns the new size. */
function offer(score: Float64Array, id: Int32Array, base: number, cap: number, size: number, s: number, i: number, tie: (id: number) => number): number {
  let p: number;
  if (size < cap) {
    p = size++;
    while (p > 0) {
      const parent = (p - 1) >> 1;
      if (!worse(s, i, score[base + parent], id[base + parent], tie)) break;
      score[base + p] = score[base + parent];
      id[base + p] = id[base + parent];
      p = parent;
    }
  } else {
    if (!worse(score[base], id[base], s, i, tie)) return size;
    p = 0;
    for (;;) {
      const l = 2 * p + 1;
      if (l >= size) break;
      const r = l + 1;
      const child = r < size && worse(score[base + r], id[base + r], score[base + l], id[base + l], tie) ? r : l;
      if (!worse(score[base + child], id[base + child], s, i, tie)) break;
      score[base + p] = score[base + child];
      id[base + p] = id[base + child];
      p = child;
    }
  }
  score[base + p] = s;
  id[base + p] = i;
  return size;
}

/**
 * For every person of side A, its k best partners on side B (highest score, then the lowest
 * tie key `tie(a, b)`, then the lowest index), into ids/scores at [a × k, a × k + size[a]).
 */
function bestPartners(
  a: Side,
  b: Side,
  k: number,
  bound: (ga: number, gb: number) => number,
  score: (ia: number, ib: number) => number,
  tie: (ia: number, ib: number) => number,
): { ids: Int32Array; scores: Float64Array; size: Int32Array } {
  const ids = new Int32Array(a.count * k);
  const scores = new Float64Array(a.count * k);
  const size = new Int32Array(a.count);
  const { start, member } = membersOf(b);
  const ownMembers = membersOf(a);
  const bounds = new Float64Array(b.groups);
  const bucketOf = new Int32Array(b.groups);
  const bucketStart = new Int32Array(BUCKETS + 1);
  const bucketMax = new Float64Array(BUCKETS);
  const order = new Int32Array(b.groups);
  for (let ga = 0; ga < a.groups; ga++) {
    // The B groups by decreasing bound (in buckets; the forbidden ones left out).
    let hi = -Infinity;
    let lo = Infinity;
    for (let gb = 0; gb < b.groups; gb++) {
      const x = bound(ga, gb);
      bounds[gb] = x;
      if (x === -Infinity) continue;
      if (x > hi) hi = x;
      if (x < lo) lo = x;
    }
    bucketStart.fill(0);
    bucketMax.fill(-Infinity);
    const scale = hi > lo ? (BUCKETS - 1) / (hi - lo) : 0;
    for (let gb = 0; gb < b.groups; gb++) {
      const x = bounds[gb];
      if (x === -Infinity) {
        bucketOf[gb] = -1;
        continue;
      }
      // A NaN bound goes first and is never skipped: its pairs' scores then throw.
      const q = x === x ? Math.min(BUCKETS - 1, Math.max(0, Math.floor((hi - x) * scale))) : 0;
      bucketOf[gb] = q;
      bucketStart[q + 1]++;
      if (x > bucketMax[q]) bucketMax[q] = x;
    }
    for (let q = 0; q < BUCKETS; q++) bucketStart[q + 1] += bucketStart[q];
    const fill = bucketStart.slice(0, BUCKETS);
    for (let gb = 0; gb < b.groups; gb++) if (bucketOf[gb] >= 0) order[fill[bucketOf[gb]]++] = gb;

    for (let m = ownMembers.start[ga]; m < ownMembers.start[ga + 1]; m++) {
      const ia = ownMembers.member[m];
      const base = ia * k;
      const tieOf = (ib: number) => tie(ia, ib);
      let n = 0;
      for (let q = 0; q < BUCKETS && k > 0; q++) {
        if (bucketStart[q] === bucketStart[q + 1]) continue;
        // Full, and no pair of this bucket can reach the worst kept one (a tie could: lower index).
        if (n === k && bucketMax[q] < scores[base]) break;
        for (let t = bucketStart[q]; t < bucketStart[q + 1]; t++) {
          const gb = order[t];
          if (n === k && bounds[gb] < scores[base]) continue;
          for (let e = start[gb]; e < start[gb + 1]; e++) {
            const ib = member[e];
            const s = score(ia, ib);
            if (s === -Infinity) continue;
            if (s !== s) throw new Error(`candidate pass: NaN score (${ia}, ${ib})`);
            n = offer(scores, ids, base, k, n, s, ib, tieOf);
          }
        }
      }
      size[ia] = n;
    }
  }
  return { ids, scores, size };
}

/**
 * The candidate graph of buildCandidateGraph (maximising the compatibility) from the groups:
 * each mentee's k best mentors and each mentor's kCol best mentees (ties: pairTie),
 * then the seeded fallback edges.
 */
export function groupedCandidateGraph(scorer: ProgramScorer, groups: ScoreGroups, options: CandidateOptions): CandidateGraph {
  const { rows, cols, score } = scorer;
  const k = Math.max(0, Math.min(options.k, cols));
  const kCol = Math.max(0, Math.min(options.kCol ?? options.k, rows));
  const mentees: Side = { count: rows, group: groups.menteeGroup, groups: groups.menteeGroups };
  const mentors: Side = { count: cols, group: groups.mentorGroup, groups: groups.mentorGroups };
  const { seed } = options;
  const byRow = bestPartners(mentees, mentors, k, groups.bound, score, (i, j) => pairTie(seed, i, j));
  const byCol = bestPartners(mentors, mentees, kCol, (h, g) => groups.bound(g, h), (j, i) => score(i, j), (j, i) => pairTie(seed, i, j));
  const lists: Int32Array[] = new Array(rows);
  const listW: Float64Array[] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    lists[i] = byRow.ids.slice(i * k, i * k + byRow.size[i]);
    listW[i] = byRow.scores.slice(i * k, i * k + byRow.size[i]);
  }
  return finishCandidateGraph(rows, cols, score, { ...options, maximize: true }, { lists, listW, colHeapRow: byCol.ids, colHeapSize: byCol.size, kCol });
}
