/**
 * The sparse mode of the simulations (issue 15, item 5; docs/matching.md, "Any cohort size"):
 * for programs whose mentor × mentee matrix is too large to hold, the strategies work on a
 * candidate graph instead — each mentee's k best mentors by compatibility and each mentor's k
 * best mentees (deduplicated, plus a few random allowed pairs so that a full matching exists),
 * scored on demand. optimal, reach and learned are exact on that graph (mentees it leaves
 * unmatched get every allowed mentor and the problem is solved again); greedy and stable run on
 * it, and mentees it leaves unmatched take the best mentor still free among all allowed ones;
 * random draws among all allowed pairs. Pure.
 */
import { reachBonus, SCORE_ROUNDING, type EncodedProgram, type PairScorer, type ProgramScorer } from "./compatibility.ts";
import type { Weights } from "./weights.ts";
import { groupedCandidateGraph } from "./grouped-candidates.ts";
import { buildCandidateGraph, solveSparseAssignment, type CandidateGraph } from "./sparse-assignment.ts";
import { fromMenteeToMentor, sortByScore, sortPreferenceList, type StablePreferences } from "./strategies.ts";
import type { StrategyResult } from "./types.ts";

/** Candidates kept per mentee and per mentor. */
export const SPARSE_K = 32;

export interface SparseProblem {
  rows: number;
  cols: number;
  capacities: Int32Array;
  scorer: ProgramScorer;
  /** Mentees × mentors, weights = compatibility; each row's columns in increasing order. */
  graph: CandidateGraph;
  k: number;
}

/**
 * The candidate graph of a program, no matrix kept: by groups (only the pairs that may enter a
 * list are scored; ties to the lower index) or, with forbidden pairs by id, one pass over every pair.
 */
export function buildSparseProblem(scorer: ProgramScorer, k: number, seed: number): SparseProblem {
  const { rows, cols, score, rawRow } = scorer;
  const options = { k, kCol: k, seed, maximize: true };
  const raw = scorer.groups
    ? groupedCandidateGraph(scorer, scorer.groups, options)
    : buildCandidateGraph(rows, cols, score, { ...options, approxRow: rawRow, approxError: SCORE_ROUNDING });
  return { rows, cols, capacities: scorer.capacities, scorer, graph: sortRows(raw), k };
}

/** The same graph with each row's candidates by column index (ties then break as in the dense strategies: by cell). */
function sortRows(g: CandidateGraph): CandidateGraph {
  const colIdx = new Int32Array(g.colIdx.length);
  const weights = new Float64Array(g.weights.length);
  for (let r = 0; r < g.rows; r++) {
    const from = g.rowPtr[r];
    const to = g.rowPtr[r + 1];
    const order = Array.from({ length: to - from }, (_, t) => from + t).sort((a, b) => g.colIdx[a] - g.colIdx[b]);
    order.forEach((p, t) => {
      colIdx[from + t] = g.colIdx[p];
      weights[from + t] = g.weights[p];
    });
  }
  return { rows: g.rows, cols: g.cols, rowPtr: g.rowPtr, colIdx, weights };
}

/** Each mentor repeated once per unit of capacity (capped at the mentees): the graph the solver takes. */
export function expandCapacities(p: SparseProblem, edgeWeights: Float64Array): { graph: CandidateGraph; slotMentor: Int32Array } {
  const { rows, cols, graph } = p;
  const slotStart = new Int32Array(cols + 1);
  for (let j = 0; j < cols; j++) slotStart[j + 1] = slotStart[j] + Math.min(rows, Math.max(0, p.capacities[j]));
  const slots = slotStart[cols];
  const slotMentor = new Int32Array(slots);
  for (let j = 0; j < cols; j++) for (let s = slotStart[j]; s < slotStart[j + 1]; s++) slotMentor[s] = j;
  const rowPtr = new Int32Array(rows + 1);
  for (let r = 0; r < rows; r++) {
    let n = 0;
    for (let e = graph.rowPtr[r]; e < graph.rowPtr[r + 1]; e++) n += slotStart[graph.colIdx[e] + 1] - slotStart[graph.colIdx[e]];
    rowPtr[r + 1] = rowPtr[r] + n;
  }
  const colIdx = new Int32Array(rowPtr[rows]);
  const weights = new Float64Array(rowPtr[rows]);
  for (let r = 0, q = 0; r < rows; r++) {
    for (let e = graph.rowPtr[r]; e < graph.rowPtr[r + 1]; e++) {
      const j = graph.colIdx[e];
      for (let s = slotStart[j]; s < slotStart[j + 1]; s++, q++) {
        colIdx[q] = s;
        weights[q] = edgeWeights[e];
      }
    }
  }
  return { graph: { rows, cols: slots, rowPtr, colIdx, weights }, slotMentor };
}

/**
 * The exact assignment on the candidate graph (the most pairs, then the largest total of
 * `edgeWeights`, parallel to the graph's edges), under the capacities. `pairWeight` gives the
 * weight of any pair (−Infinity = forbidden) for mentees the graph leaves unmatched.
 */
export function sparseAssign(
  p: SparseProblem,
  edgeWeights: Float64Array,
  pairWeight: (mentee: number, mentor: number) => number,
): StrategyResult & { total: number; repaired: number; solved: { graph: CandidateGraph; cpuMs: number } } {
  const { graph, slotMentor } = expandCapacities(p, edgeWeights);
  const cpu = process.cpuUsage();
  const solved = solveSparseAssignment(graph, { maximize: true, score: (r, slot) => pairWeight(r, slotMentor[slot]) });
  const used = process.cpuUsage(cpu);
  const menteeToMentor = new Int32Array(p.rows).fill(-1);
  for (let i = 0; i < p.rows; i++) if (solved.rowToCol[i] >= 0) menteeToMentor[i] = slotMentor[solved.rowToCol[i]];
  return {
    ...fromMenteeToMentor(menteeToMentor),
    total: solved.total,
    repaired: solved.repairedRows,
    // The graph actually solved (mentors repeated by capacity, widened rows included) and the solver's CPU time: bench/simulate.ts hands both to scipy.
    solved: { graph: solved.graph, cpuMs: (used.user + used.system) / 1000 },
  };
}

/** reach's weight of a pair: the compatibility plus its bonuses (−Infinity = forbidden). */
export function reachPairWeight(enc: EncodedProgram, weights: Weights, score: PairScorer): (mentee: number, mentor: number) => number {
  return (i, j) => {
    const s = score(i, j);
    return s === -Infinity ? s : s + reachBonus(enc, weights, i, j);
  };
}

/** Weights of the graph's edges from a pair function (reach, learned). */
export function edgeWeightsOf(p: SparseProblem, weight: (mentee: number, mentor: number, compatibility: number) => number): Float64Array {
  const { graph } = p;
  const out = new Float64Array(graph.colIdx.length);
  for (let i = 0; i < graph.rows; i++) for (let e = graph.rowPtr[i]; e < graph.rowPtr[i + 1]; e++) out[e] = weight(i, graph.colIdx[e], graph.weights[e]);
  return out;
}

/** Most cells a fill-in pass may score (mentees left unmatched × mentors with room). */
const MAX_FILL_CELLS = 50_000_000;

/**
 * Mentees left unmatched on the candidates take, best pair first, a mentor who still has room
 * among all the allowed ones (scored on demand). Skipped when that would score more than
 * MAX_FILL_CELLS pairs.
 */
function fillUnmatched(p: SparseProblem, menteeToMentor: Int32Array, left: Int32Array): void {
  const free: number[] = [];
  for (let i = 0; i < p.rows; i++) if (menteeToMentor[i] < 0) free.push(i);
  const open: number[] = [];
  for (let j = 0; j < p.cols; j++) if (left[j] > 0) open.push(j);
  if (free.length === 0 || open.length === 0 || free.length * open.length > MAX_FILL_CELLS) return;
  const cellMentee: number[] = [];
  const cellMentor: number[] = [];
  const cellScore: number[] = [];
  for (const i of free) {
    for (const j of open) {
      const s = p.scorer.score(i, j);
      if (s === -Infinity) continue;
      cellMentee.push(i);
      cellMentor.push(j);
      cellScore.push(s);
    }
  }
  const order = Int32Array.from(cellScore.keys());
  sortByScore(order, Float64Array.from(cellScore));
  for (const c of order) {
    const i = cellMentee[c];
    const j = cellMentor[c];
    if (menteeToMentor[i] >= 0 || left[j] === 0) continue;
    menteeToMentor[i] = j;
    left[j]--;
  }
}

/** greedyStrategy on the candidates (highest compatibility first), then the fill-in. */
export function sparseGreedy(p: SparseProblem): StrategyResult {
  const { graph } = p;
  const edges = new Int32Array(graph.colIdx.length);
  for (let e = 0; e < edges.length; e++) edges[e] = e;
  sortByScore(edges, graph.weights);
  const rowOf = new Int32Array(edges.length);
  for (let i = 0; i < graph.rows; i++) rowOf.fill(i, graph.rowPtr[i], graph.rowPtr[i + 1]);
  const left = Int32Array.from(p.capacities);
  const result = new Int32Array(p.rows).fill(-1);
  for (const e of edges) {
    const i = rowOf[e];
    const j = graph.colIdx[e];
    if (result[i] >= 0 || left[j] === 0) continue;
    result[i] = j;
    left[j]--;
  }
  fillUnmatched(p, result, left);
  return fromMenteeToMentor(result);
}

/** The stable preference lists on the candidates: each mentee's candidate mentors, best first. */
export function sparseStablePreferences(p: SparseProblem): StablePreferences {
  const { graph } = p;
  const total = graph.colIdx.length;
  const order = Int32Array.from(graph.colIdx);
  const tieEnd = new Int32Array(total);
  const score = new Float64Array(total);
  const row = new Float64Array(p.cols);
  for (let i = 0; i < p.rows; i++) {
    const start = graph.rowPtr[i];
    const end = graph.rowPtr[i + 1];
    for (let e = start; e < end; e++) row[graph.colIdx[e]] = graph.weights[e];
    sortPreferenceList(order.subarray(start, end), row, tieEnd, score, start);
  }
  return { offsets: graph.rowPtr, order, tieEnd, score };
}

/** stableStrategy's result on the candidates, with the fill-in for the mentees it left unmatched. */
export function fillAfterStable(p: SparseProblem, m: StrategyResult): StrategyResult {
  const result = new Int32Array(p.rows).fill(-1);
  const left = Int32Array.from(p.capacities);
  for (let k = 0; k < m.mentee.length; k++) {
    result[m.mentee[k]] = m.mentor[k];
    left[m.mentor[k]]--;
  }
  if (m.unmatched.length === 0) return m;
  fillUnmatched(p, result, left);
  return fromMenteeToMentor(result);
}
