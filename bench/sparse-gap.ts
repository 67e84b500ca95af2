/**
 * The optimality gap of the sparse assignment mode, timed against the dense solver: a
 * benchmark harness (bench/matching.ts) and a check of the tests, not part of the algorithm.
 */
import { solveAssignment, type AssignmentOptions } from "../analytics/matching/assignment.ts";
import { solveSparseAssignment, type CandidateGraph, type PairScore } from "../analytics/matching/sparse-assignment.ts";

export interface GapReport {
  denseTotal: number;
  sparseTotal: number;
  denseMatched: number;
  sparseMatched: number;
  /** |dense − sparse|, ≥ 0 when both match as many rows. */
  absoluteGap: number;
  relativeGap: number;
  denseSeconds: number;
  sparseSeconds: number;
}

/**
 * The optimality gap of the sparse mode: solves the candidate graph and the full dense
 * problem (score for every pair; only where rows×cols float64 fits in memory).
 */
export function sparseGap(score: PairScore, graph: CandidateGraph, options: AssignmentOptions = {}): GapReport {
  const { rows, cols } = graph;
  const maximize = options.maximize === true;
  const dense = new Float64Array(rows * cols);
  for (let r = 0, k = 0; r < rows; r++) for (let c = 0; c < cols; c++, k++) dense[k] = score(r, c);
  const t0 = performance.now();
  const d = solveAssignment(dense, rows, cols, { maximize });
  const t1 = performance.now();
  const s = solveSparseAssignment(graph, { maximize, score });
  const t2 = performance.now();
  const count = (x: Int32Array) => x.reduce((n, c) => (c >= 0 ? n + 1 : n), 0);
  const absoluteGap = maximize ? d.total - s.total : s.total - d.total;
  return {
    denseTotal: d.total,
    sparseTotal: s.total,
    denseMatched: count(d.rowToCol),
    sparseMatched: count(s.rowToCol),
    absoluteGap,
    relativeGap: absoluteGap / Math.max(1e-12, Math.abs(d.total)),
    denseSeconds: (t1 - t0) / 1000,
    sparseSeconds: (t2 - t1) / 1000,
  };
}
