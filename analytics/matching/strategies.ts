/**
 * The matching strategies. Each takes the scored problem (rows = mentees, columns = mentors,
 * −Infinity = forbidden) and, when it draws at random, a seed; each returns the pairs and
 * the unmatched mentees, never exceeding a mentor's capacity nor using a forbidden pair.
 */
import { solveAssignmentWithCapacities } from "./assignment.ts";
import { SCORE_GRID, type ScoredProblem } from "./compatibility.ts";
import { hash3, mulberry32, shuffleRange } from "./rng.ts";
import type { StrategyResult } from "./types.ts";

export const STRATEGIES = ["recorded", "random", "greedy", "optimal", "stable", "reach", "learned"] as const;
export type StrategyName = (typeof STRATEGIES)[number];
/** Strategies whose result depends on the seed: run many times. */
export const SEEDED_STRATEGIES: readonly StrategyName[] = ["random", "stable"];

type Problem = Pick<ScoredProblem, "rows" | "cols" | "scores" | "capacities">;

export function fromMenteeToMentor(menteeToMentor: Int32Array): StrategyResult {
  let matched = 0;
  for (const j of menteeToMentor) if (j >= 0) matched++;
  const mentee = new Int32Array(matched);
  const mentor = new Int32Array(matched);
  const unmatched = new Int32Array(menteeToMentor.length - matched);
  for (let i = 0, k = 0, u = 0; i < menteeToMentor.length; i++) {
    if (menteeToMentor[i] >= 0) {
      mentee[k] = i;
      mentor[k++] = menteeToMentor[i];
    } else unmatched[u++] = i;
  }
  return { mentee, mentor, unmatched };
}

/** The pairs actually formed (indices), as recorded; unmatched = mentees in no pair. */
export function recordedStrategy(rows: number, pairs: { mentee: number; mentor: number }[]): StrategyResult {
  const mentee = Int32Array.from(pairs, (p) => p.mentee);
  const mentor = Int32Array.from(pairs, (p) => p.mentor);
  const seen = new Uint8Array(rows);
  for (const i of mentee) seen[i] = 1;
  const unmatched: number[] = [];
  for (let i = 0; i < rows; i++) if (!seen[i]) unmatched.push(i);
  return { mentee, mentor, unmatched: Int32Array.from(unmatched) };
}

/**
 * Mentees in a random order each take a uniformly random mentor among those with room and
 * an allowed pair (what a draw without any model gives).
 */
export function randomStrategy(problem: Problem, seed: number, allowedPair?: (mentee: number, mentor: number) => boolean): StrategyResult {
  const { rows, cols, scores, capacities } = problem;
  // Without a dense matrix (sparse mode), the hard constraints are checked pair by pair.
  const allowed = allowedPair ?? ((i: number, j: number) => scores[i * cols + j] !== -Infinity);
  const rng = mulberry32(seed);
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  shuffleRange(order, 0, rows, rng);
  const left = Int32Array.from(capacities);
  const open = new Int32Array(cols);
  let openCount = 0;
  for (let j = 0; j < cols; j++) if (left[j] > 0) open[openCount++] = j;
  const result = new Int32Array(rows).fill(-1);
  for (const i of order) {
    if (openCount === 0) break;
    let pick = -1;
    // A few random probes first (no forbidden pair: the first one succeeds) …
    for (let probe = 0; probe < 16 && pick < 0; probe++) {
      const k = Math.floor(rng() * openCount);
      if (allowed(i, open[k])) pick = k;
    }
    // … then a uniform pick among the allowed open mentors.
    if (pick < 0) {
      let seen = 0;
      for (let k = 0; k < openCount; k++) {
        if (!allowed(i, open[k])) continue;
        seen++;
        if (rng() * seen < 1) pick = k;
      }
    }
    if (pick < 0) continue;
    const j = open[pick];
    result[i] = j;
    if (--left[j] === 0) open[pick] = open[--openCount];
  }
  return fromMenteeToMentor(result);
}

/**
 * Sorts `cells` (indices into `scores`) by score, best first, ties by index. Scores on the
 * 1e-9 grid in [0, 1] pack with the index into one double, so the native numeric sort does the
 * work (5–10× faster than a comparator); other scores fall back to the comparator.
 */
export function sortByScore(cells: Uint32Array | Int32Array, scores: Float64Array, base = 0): void {
  const n = cells.length;
  const indexBits = Math.max(1, Math.ceil(Math.log2(Math.max(2, cells.length > 0 ? maxOf(cells) + 1 : 2))));
  let packable = indexBits <= 22;
  if (packable) {
    for (let k = 0; k < n && packable; k++) {
      const s = scores[base + cells[k]];
      packable = s >= 0 && s <= 1 && Math.abs(s * SCORE_GRID - Math.round(s * SCORE_GRID)) < 1e-3;
    }
  }
  if (!packable) {
    cells.sort((x, y) => scores[base + y] - scores[base + x] || x - y);
    return;
  }
  const shift = 2 ** indexBits;
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) keys[k] = (SCORE_GRID - Math.round(scores[base + cells[k]] * SCORE_GRID)) * shift + cells[k];
  keys.sort();
  for (let k = 0; k < n; k++) cells[k] = keys[k] % shift;
}

function maxOf(values: Uint32Array | Int32Array): number {
  let m = 0;
  for (const v of values) if (v > m) m = v;
  return m;
}

/** Allowed cells sorted by score, best first (ties by cell index: deterministic). */
function sortedCells(scores: Float64Array): Uint32Array {
  let allowed = 0;
  for (let k = 0; k < scores.length; k++) if (scores[k] !== -Infinity) allowed++;
  const cells = new Uint32Array(allowed);
  for (let k = 0, c = 0; k < scores.length; k++) if (scores[k] !== -Infinity) cells[c++] = k;
  sortByScore(cells, scores);
  return cells;
}

/** Highest score first: take each pair whose mentee is free and whose mentor has room. */
export function greedyStrategy(problem: Problem): StrategyResult {
  const { rows, cols, scores, capacities } = problem;
  const left = Int32Array.from(capacities);
  const result = new Int32Array(rows).fill(-1);
  let free = rows;
  for (const cell of sortedCells(scores)) {
    const i = Math.floor(cell / cols);
    const j = cell - i * cols;
    if (result[i] >= 0 || left[j] === 0) continue;
    result[i] = j;
    left[j]--;
    if (--free === 0) break;
  }
  return fromMenteeToMentor(result);
}

/** The most pairs, then the largest total score, under the capacities (exact assignment). */
export function optimalStrategy(problem: Problem, scores: Float64Array = problem.scores): StrategyResult {
  const { rowToCol } = solveAssignmentWithCapacities(scores, problem.rows, problem.cols, problem.capacities, { maximize: true });
  return fromMenteeToMentor(rowToCol);
}

/**
 * The mentees' preference lists, computed once per problem and shared by every seed: each
 * mentee's allowed mentors by score, best first. `tieEnd[k]` is the end of the group of equal
 * scores that position k belongs to, so a run can shuffle the group when it reaches it.
 */
export interface StablePreferences {
  offsets: Int32Array;
  order: Int32Array;
  tieEnd: Int32Array;
  /** The score of each entry of `order` (equal within a tie group). */
  score: Float64Array;
}

/** `shared`: the lists live in SharedArrayBuffers, so worker threads read them without a copy. */
export function stablePreferences(problem: Problem, shared = false): StablePreferences {
  const { rows, cols, scores } = problem;
  const offsets = new Int32Array(rows + 1);
  for (let i = 0; i < rows; i++) {
    let n = 0;
    for (let j = 0; j < cols; j++) if (scores[i * cols + j] !== -Infinity) n++;
    offsets[i + 1] = offsets[i] + n;
  }
  const total = offsets[rows];
  const make = () => (shared ? new Int32Array(new SharedArrayBuffer(Math.max(1, total) * 4), 0, total) : new Int32Array(total));
  const order = make();
  const tieEnd = make();
  const score = shared ? new Float64Array(new SharedArrayBuffer(Math.max(1, total) * 8), 0, total) : new Float64Array(total);
  const row = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const start = offsets[i];
    row.set(scores.subarray(i * cols, (i + 1) * cols));
    let k = start;
    for (let j = 0; j < cols; j++) if (row[j] !== -Infinity) order[k++] = j;
    sortPreferenceList(order.subarray(start, offsets[i + 1]), row, tieEnd, score, start);
  }
  return { offsets, order, tieEnd, score };
}

/**
 * Sorts one mentee's list (mentor indices into `row`, its scores) best first, ties by index,
 * and writes each entry's tie-group end and score at `start` onwards.
 */
export function sortPreferenceList(list: Int32Array, row: Float64Array, tieEnd: Int32Array, score: Float64Array, start: number): void {
  sortByScore(list, row);
  for (let end = list.length, k2 = list.length - 1; k2 >= 0; k2--) {
    if (k2 < list.length - 1 && row[list[k2]] !== row[list[k2 + 1]]) end = k2 + 1;
    tieEnd[start + k2] = start + end;
    score[start + k2] = row[list[k2]];
  }
}

/**
 * Mentee-proposing deferred acceptance (Gale–Shapley) with mentor capacities. Both sides
 * rank by the compatibility score; ties are broken by the seed (a mentee's equal mentors in
 * a seeded random order, a mentor's equal mentees by a seeded hash). The result has no
 * blocking pair: no mentee and mentor who both strictly prefer each other to what they have.
 */
export function stableStrategy(problem: Pick<Problem, "rows" | "cols" | "capacities"> & Partial<Problem>, seed: number, prefs?: StablePreferences): StrategyResult {
  const { rows, cols, capacities } = problem;
  prefs ??= stablePreferences(problem as Problem);
  const rng = mulberry32(seed);
  const order = prefs.order;
  // The tie group a mentee is in, shuffled for this run (the shared order stays untouched).
  const group: (Int32Array | null)[] = new Array(rows).fill(null);
  const groupStart = new Int32Array(rows);
  const next = prefs.offsets.slice(0, rows);
  const held: number[][] = Array.from({ length: cols }, () => []);
  // The score of each held mentee with its mentor (the lists carry the scores: no matrix read).
  const heldScore: number[][] = Array.from({ length: cols }, () => []);
  const result = new Int32Array(rows).fill(-1);
  // The mentor's view of mentee i: score first, then the seeded tie-break.
  const tie = (j: number, i: number) => hash3(seed, j, i);
  const free: number[] = [];
  for (let i = rows - 1; i >= 0; i--) free.push(i);
  while (free.length > 0) {
    const i = free.pop()!;
    const end = prefs.offsets[i + 1];
    let placed = false;
    while (!placed && next[i] < end) {
      const k = next[i]++;
      const groupEnd = prefs.tieEnd[k];
      if (groupEnd - k > 1 && (k === prefs.offsets[i] || prefs.tieEnd[k - 1] !== groupEnd)) {
        const shuffled = order.slice(k, groupEnd);
        shuffleRange(shuffled, 0, shuffled.length, rng);
        group[i] = shuffled;
        groupStart[i] = k;
      }
      const g = group[i];
      const j = g !== null && k >= groupStart[i] && k < groupStart[i] + g.length ? g[k - groupStart[i]] : order[k];
      if (capacities[j] === 0) continue;
      const list = held[j];
      const listScore = heldScore[j];
      const s = prefs.score[k];
      if (list.length < capacities[j]) {
        list.push(i);
        listScore.push(s);
        result[i] = j;
        placed = true;
        continue;
      }
      let worst = 0;
      for (let h = 1; h < list.length; h++) {
        const a = list[h];
        const b = list[worst];
        const sa = listScore[h];
        const sb = listScore[worst];
        if (sa < sb || (sa === sb && tie(j, a) < tie(j, b))) worst = h;
      }
      const w = list[worst];
      const sw = listScore[worst];
      if (s > sw || (s === sw && tie(j, i) > tie(j, w))) {
        list[worst] = i;
        listScore[worst] = s;
        result[i] = j;
        result[w] = -1;
        free.push(w);
        placed = true;
      }
    }
  }
  return fromMenteeToMentor(result);
}
