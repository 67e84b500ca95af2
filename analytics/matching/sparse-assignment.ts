/**
 * Sparse assignment for programs too large for a dense matrix (beyond ~8,000 people a side:
 * 20,000² float64 is 3.2 GB). Each row keeps its k best columns plus fallback edges, and the
 * assignment is solved exactly on that candidate graph. Semantics as solveAssignment: the
 * most pairs first, then the best total, −1 for a row left out.
 */
import type { AssignmentOptions } from "./assignment.ts";
import { mulberry32 } from "./rng.ts";

/** Candidate pairs in CSR form: row r's candidates are colIdx[rowPtr[r] .. rowPtr[r+1]). */
export interface CandidateGraph {
  rows: number;
  cols: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  weights: Float64Array;
}

export type PairScore = (row: number, col: number) => number;

export interface CandidateOptions extends AssignmentOptions {
  /** Best columns kept per row. */
  k: number;
  /**
   * Best rows kept per column (default k). Without them, popular columns fill every row's
   * list and the rows that cannot have them are left with poor fallback edges.
   */
  kCol?: number;
  /** Random extra columns per row, so that the graph keeps a full matching. Default 4. */
  randomPerRow?: number;
  /** Every column gets at least this many candidate rows (random ones if needed). Default 3. */
  minPerCol?: number;
  seed: number;
  /** All of row r's scores into out[0 .. cols) at once (faster than `score` column by column); the same values. */
  scoreRow?: (row: number, out: Float64Array) => void;
  /**
   * Row r's scores within `approxError` of `score`'s (e.g. before a rounding), cheaper than
   * scoreRow: the pass then asks `score` only for the pairs that may enter a row's or a
   * column's best — the same graph, for less.
   */
  approxRow?: (row: number, out: Float64Array) => void;
  approxError?: number;
}

export interface SparseOptions extends AssignmentOptions {
  /**
   * With the score function, rows left unmatched on the candidate graph get all their
   * allowed columns as candidates and the problem is solved again (a few rounds at most).
   */
  score?: PairScore;
  maxRepairRounds?: number;
}

export interface SparseResult {
  rowToCol: Int32Array;
  total: number;
  /** Rows whose candidates were widened to every allowed column. */
  repairedRows: number;
  graph: CandidateGraph;
}

/**
 * Candidate graph from a pair score: one pass over all pairs keeps each row's k best columns
 * and each column's kCol best rows (a small heap each), plus seeded fallback edges (random
 * columns per row, and rows for columns that too few rows list). Forbidden pairs (+∞ when
 * minimising, −∞ when maximising) are never candidates.
 */
export function buildCandidateGraph(rows: number, cols: number, score: PairScore, options: CandidateOptions): CandidateGraph {
  const maximize = options.maximize === true;
  const sign = maximize ? -1 : 1;
  const k = Math.max(0, Math.min(options.k, cols));
  const kCol = Math.max(0, Math.min(options.kCol ?? options.k, rows));
  // Per column: a max-heap of its kCol cheapest rows, stored flat (column c at c × kCol);
  // colWorst[c] is its root once full (+∞ before), the one value the hot loop reads.
  const colHeapCost = new Float64Array(cols * kCol);
  const colHeapRow = new Int32Array(cols * kCol);
  const colHeapSize = new Int32Array(cols);
  const colWorst = new Float64Array(cols).fill(kCol > 0 ? Infinity : -Infinity);

  // Per row: a max-heap of the k smallest costs (cost = sign × score).
  const heapCost = new Float64Array(k);
  const heapCol = new Int32Array(k);
  const lists: Int32Array[] = new Array(rows);
  const listW: Float64Array[] = new Array(rows);
  const rowBuf = new Float64Array(cols);
  const approxRow = options.approxRow;
  const approxError = approxRow ? Math.max(0, options.approxError ?? 0) : -1;
  for (let r = 0; r < rows; r++) {
    // Scores first, in a loop small enough for the score function to be inlined.
    if (approxRow) approxRow(r, rowBuf);
    else if (options.scoreRow) options.scoreRow(r, rowBuf);
    else for (let c = 0; c < cols; c++) rowBuf[c] = score(r, c);
    const size = offerRow(r, rowBuf, sign, heapCost, heapCol, k, colHeapCost, colHeapRow, colHeapSize, colWorst, kCol, approxError, score);
    lists[r] = heapCol.slice(0, size);
    const w = new Float64Array(size);
    for (let t = 0; t < size; t++) w[t] = sign * heapCost[t];
    listW[r] = w;
  }
  return finishCandidateGraph(rows, cols, score, options, { lists, listW, colHeapRow, colHeapSize, kCol });
}

/** The best pairs found by a candidate pass: each row's list (and its scores), each column's kCol best rows. */
export interface CandidateScan {
  lists: Int32Array[];
  listW: Float64Array[];
  /** Column c's rows at [c × kCol, c × kCol + colHeapSize[c]). */
  colHeapRow: Int32Array;
  colHeapSize: Int32Array;
  kCol: number;
}

/**
 * The seeded fallback edges added to a scan's best pairs (random columns per row, then the
 * columns' best rows that their rows did not list, then random rows for columns that too few
 * rows list), assembled in CSR form. The seeded stream depends only on the rows' lists.
 */
export function finishCandidateGraph(rows: number, cols: number, score: PairScore, options: CandidateOptions, scan: CandidateScan): CandidateGraph {
  const sign = options.maximize === true ? -1 : 1;
  const randomPerRow = Math.min(options.randomPerRow ?? 4, cols);
  const minPerCol = Math.min(options.minPerCol ?? 3, rows);
  const rng = mulberry32(options.seed);
  const { colHeapRow, colHeapSize, kCol } = scan;
  const lists: Int32Array[] = new Array(rows);
  const listW: Float64Array[] = new Array(rows);
  const colDegree = new Int32Array(cols);
  const mark = new Int32Array(cols).fill(-1);
  for (let r = 0; r < rows; r++) {
    const best = scan.lists[r];
    const size = best.length;
    const extra: number[] = [];
    for (let t = 0; t < size; t++) mark[best[t]] = r;
    for (let t = 0, tries = 0; t < randomPerRow && tries < 4 * randomPerRow; tries++) {
      const c = Math.floor(rng() * cols);
      if (mark[c] === r || !(sign * score(r, c) < Infinity)) continue;
      mark[c] = r;
      extra.push(c);
      t++;
    }
    const cols_ = new Int32Array(size + extra.length);
    const w = new Float64Array(size + extra.length);
    cols_.set(best);
    w.set(scan.listW[r]);
    for (let t = 0; t < extra.length; t++) {
      cols_[size + t] = extra[t];
      w[size + t] = score(r, extra[t]);
    }
    for (let t = 0; t < cols_.length; t++) colDegree[cols_[t]]++;
    lists[r] = cols_;
    listW[r] = w;
  }
  // The rows each column likes best, where the row did not list the column itself.
  const extraRows: number[][] = Array.from({ length: rows }, () => []);
  const inRow = (r: number, c: number) => lists[r].includes(c) || extraRows[r].includes(c);
  for (let c = 0; c < cols; c++) {
    for (let t = 0; t < colHeapSize[c]; t++) {
      const r = colHeapRow[c * kCol + t];
      if (inRow(r, c)) continue;
      extraRows[r].push(c);
      colDegree[c]++;
    }
  }
  // Columns that too few rows want: add random rows (a column nobody lists can never be used).
  for (let c = 0; c < cols; c++) {
    for (let tries = 0; colDegree[c] < minPerCol && tries < 8 * minPerCol; tries++) {
      const r = Math.floor(rng() * rows);
      if (inRow(r, c) || !(sign * score(r, c) < Infinity)) continue;
      extraRows[r].push(c);
      colDegree[c]++;
    }
  }
  return assemble(rows, cols, (r) => lists[r], (r) => listW[r], extraRows, score);
}

function assemble(
  rows: number,
  cols: number,
  colsOf: (r: number) => ArrayLike<number>,
  weightsOf: (r: number) => ArrayLike<number>,
  extraRows: number[][],
  score: PairScore,
): CandidateGraph {
  const rowPtr = new Int32Array(rows + 1);
  for (let r = 0; r < rows; r++) rowPtr[r + 1] = rowPtr[r] + colsOf(r).length + extraRows[r].length;
  const colIdx = new Int32Array(rowPtr[rows]);
  const weights = new Float64Array(rowPtr[rows]);
  for (let r = 0; r < rows; r++) {
    let p = rowPtr[r];
    const cs = colsOf(r);
    const ws = weightsOf(r);
    for (let t = 0; t < cs.length; t++, p++) {
      colIdx[p] = cs[t];
      weights[p] = ws[t];
    }
    for (const c of extraRows[r]) {
      colIdx[p] = c;
      weights[p++] = score(r, c);
    }
  }
  return { rows, cols, rowPtr, colIdx, weights };
}

/**
 * Offers row r's scores to its own k-heap and to every column's kCol-heap; returns the row
 * heap's size. A small function of its own: V8 optimises this hot loop far better than
 * when it sat inside buildCandidateGraph.
 */
function offerRow(
  r: number,
  rowBuf: Float64Array,
  sign: number,
  heapCost: Float64Array,
  heapCol: Int32Array,
  k: number,
  colHeapCost: Float64Array,
  colHeapRow: Int32Array,
  colHeapSize: Int32Array,
  colWorst: Float64Array,
  kCol: number,
  approxError: number,
  score: PairScore,
): number {
  let size = 0;
  let rowWorst = k > 0 ? Infinity : -Infinity;
  const cols = rowBuf.length;
  const approx = approxError >= 0;
  for (let c = 0; c < cols; c++) {
    let s = rowBuf[c];
    if (approx) {
      // rowBuf holds approximations: a pair that cannot pass either test below is skipped
      // without its exact score (NaN and −∞ go on, to be refused there).
      const lower = sign * s - approxError;
      if (!(lower < rowWorst) && !(lower < colWorst[c]) && s === s) continue;
      s = score(r, c);
    }
    const cost = sign * s;
    if (cost !== cost) throw new Error(`buildCandidateGraph: NaN score at row ${r}, col ${c}`);
    // +∞ (forbidden) never passes these tests; −∞ passes the first and is refused there.
    if (cost < rowWorst) {
      if (cost === -Infinity) throw new Error(`buildCandidateGraph: ${s} score at row ${r}, col ${c}`);
      size = heapOffer(heapCost, heapCol, 0, k, size, cost, c);
      if (size === k) rowWorst = heapCost[0];
    }
    if (cost < colWorst[c]) {
      const base = c * kCol;
      const cs = heapOffer(colHeapCost, colHeapRow, base, kCol, colHeapSize[c], cost, r);
      colHeapSize[c] = cs;
      if (cs === kCol) colWorst[c] = colHeapCost[base];
    }
  }
  return size;
}

/** Adds (cost, id) to the max-heap at [base, base+cap) holding `size` items, keeping the cap smallest. */
function heapOffer(cost: Float64Array, id: Int32Array, base: number, cap: number, size: number, c: number, i: number): number {
  if (size < cap) {
    let p = size;
    while (p > 0) {
      const parent = (p - 1) >> 1;
      if (cost[base + parent] >= c) break;
      cost[base + p] = cost[base + parent];
      id[base + p] = id[base + parent];
      p = parent;
    }
    cost[base + p] = c;
    id[base + p] = i;
    return size + 1;
  }
  if (c < cost[base]) siftDownReplaceAt(cost, id, base, cap, c, i);
  return size;
}

/** Replaces the root of the max-heap stored at cost[base .. base+size) and restores the order. */
function siftDownReplaceAt(cost: Float64Array, col: Int32Array, base: number, size: number, newCost: number, newCol: number): void {
  let p = 0;
  for (;;) {
    const l = 2 * p + 1;
    if (l >= size) break;
    const r = l + 1;
    const child = r < size && cost[base + r] > cost[base + l] ? r : l;
    if (cost[base + child] <= newCost) break;
    cost[base + p] = cost[base + child];
    col[base + p] = col[base + child];
    p = child;
  }
  cost[base + p] = newCost;
  col[base + p] = newCol;
}

/**
 * Exact assignment on a candidate graph, with the semantics of solveAssignment (the most
 * pairs, then the best total). With `score`, unmatched rows get every allowed column as
 * candidates and the problem is solved again, so that everyone is matched when possible.
 */
export function solveSparseAssignment(graph: CandidateGraph, options: SparseOptions = {}): SparseResult {
  validateGraph(graph, options.maximize === true);
  let g = graph;
  let repaired = 0;
  const widened = new Uint8Array(graph.rows);
  const maxRounds = options.maxRepairRounds ?? 3;
  for (let round = 0; ; round++) {
    const rowToCol = solveOnGraph(g, options.maximize === true);
    let total = 0;
    const unmatched: number[] = [];
    for (let r = 0; r < g.rows; r++) {
      const c = rowToCol[r];
      if (c < 0) {
        unmatched.push(r);
        continue;
      }
      for (let p = g.rowPtr[r]; p < g.rowPtr[r + 1]; p++) {
        if (g.colIdx[p] === c) {
          total += g.weights[p];
          break;
        }
      }
    }
    const matchedCount = g.rows - unmatched.length;
    const score = options.score;
    const candidates = unmatched.filter((r) => !widened[r]);
    if (!score || round >= maxRounds || matchedCount === Math.min(g.rows, g.cols) || candidates.length === 0) {
      return { rowToCol, total, repairedRows: repaired, graph: g };
    }
    for (const r of candidates) widened[r] = 1;
    repaired += candidates.length;
    g = widenRows(g, candidates, score, options.maximize === true);
  }
}

function widenRows(g: CandidateGraph, rowsToWiden: number[], score: PairScore, maximize: boolean): CandidateGraph {
  const sign = maximize ? -1 : 1;
  const full = new Map<number, { c: Int32Array; w: Float64Array }>();
  for (const r of rowsToWiden) {
    const cs: number[] = [];
    const ws: number[] = [];
    for (let c = 0; c < g.cols; c++) {
      const s = score(r, c);
      if (sign * s < Infinity) {
        cs.push(c);
        ws.push(s);
      }
    }
    full.set(r, { c: Int32Array.from(cs), w: Float64Array.from(ws) });
  }
  const none: number[][] = Array.from({ length: g.rows }, () => []);
  return assemble(
    g.rows,
    g.cols,
    (r) => full.get(r)?.c ?? g.colIdx.subarray(g.rowPtr[r], g.rowPtr[r + 1]),
    (r) => full.get(r)?.w ?? g.weights.subarray(g.rowPtr[r], g.rowPtr[r + 1]),
    none,
    score,
  );
}

function validateGraph(g: CandidateGraph, maximize: boolean): void {
  const bad = maximize ? Infinity : -Infinity;
  const { rows, cols, rowPtr, colIdx, weights } = g;
  if (rowPtr.length !== rows + 1 || rowPtr[0] !== 0 || rowPtr[rows] !== colIdx.length || weights.length !== colIdx.length) {
    throw new Error("solveSparseAssignment: rowPtr must have rows+1 entries from 0 to colIdx.length, weights as many as colIdx");
  }
  for (let r = 0; r < rows; r++) {
    for (let p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
      const c = colIdx[p];
      if (!(c >= 0 && c < cols)) throw new Error(`solveSparseAssignment: col ${c} out of range at row ${r}`);
      const w = weights[p];
      if (w !== w || w === bad) throw new Error(`solveSparseAssignment: ${w} at row ${r}, col ${c}`);
    }
  }
}

/**
 * Exact assignment on the graph. A scalar pass (shortest augmenting paths with real edges
 * only) settles the usual case; if some row finds no augmenting path, allowed pairs compete
 * and the lexicographic solver below takes over from scratch.
 */
function solveOnGraph(g: CandidateGraph, maximize: boolean): Int32Array {
  if (g.rows > g.cols) {
    // More rows than columns: some rows must stay out, so the scalar pass would always fail.
    // Solve the transposed graph (an O(edges) copy of the candidate lists) instead.
    const colToRow = solveOnGraph(transposeGraph(g), maximize);
    const rowToCol = new Int32Array(g.rows).fill(-1);
    for (let c = 0; c < g.cols; c++) if (colToRow[c] >= 0) rowToCol[colToRow[c]] = c;
    return rowToCol;
  }
  return solveScalar(g, maximize) ?? solveLexicographicGraph(g, maximize);
}

/** What a start of the exact pass fills: the pairs (both ways) and the duals. */
interface StartState {
  col4row: Int32Array;
  row4col: Int32Array;
  v: Float64Array;
  u: Float64Array;
}

/** The auction's last ε, relative to the spread of the weights: the exact pass settles the rest. */
const AUCTION_FINAL_EPS = 1e-9;
/** ε is divided by this between the auction's phases. */
const AUCTION_EPS_FACTOR = 3;

/**
 * A warm start for the exact pass on a square graph: a forward auction with ε-scaling
 * (Bertsekas; rows bid for columns, Gauss–Seidel) gives column prices close to the optimal
 * duals and an assignment within ε of optimal for each row. Only the pairs that are exactly
 * tight under those prices (the row's best reduced cost) are kept; the exact pass
 * (shortest augmenting paths) places the other rows, with short searches since the prices
 * are nearly optimal. The result is as exact as with the cold start, and much faster
 * when many rows compete for the same columns (ties included). The cold start (rowReductionStart) is
 * used (false) when the graph is not square, or when the auction stalls (no full matching).
 */
function auctionStart(g: CandidateGraph, sign: number, start: StartState): boolean {
  const { rows: n, cols: m, rowPtr, colIdx, weights } = g;
  const { col4row, row4col, v, u } = start;
  if (n !== m || n === 0) return false;
  let lo = Infinity;
  let hi = -Infinity;
  for (let p = 0; p < weights.length; p++) {
    const a = -sign * weights[p];
    if (a === -Infinity) continue;
    if (a < lo) lo = a;
    if (a > hi) hi = a;
  }
  if (!(hi > -Infinity)) return false;
  const spread = Math.max(hi - lo, 1e-12);
  // A row with a single candidate bids as if its second best were this far below.
  const lonely = spread + 1;
  const price = new Float64Array(m);
  const owner = new Int32Array(m);
  const queue = new Int32Array(n);
  const finalEps = spread * AUCTION_FINAL_EPS;
  for (let eps = spread / 4; ; eps = Math.max(finalEps, eps / AUCTION_EPS_FACTOR)) {
    // Without a full matching a phase never ends (the bids go on for ever): a phase takes
    // about 2n to 25n bids at 20,000² (bench/simulate.ts), so past 200n it is given up.
    let budget = 200 * n + 1000;
    owner.fill(-1);
    col4row.fill(-1);
    for (let r = 0; r < n; r++) queue[r] = r;
    // The free rows form a circular queue (each row is in it at most once).
    let head = 0;
    let count = n;
    while (count > 0) {
      if (--budget < 0) return false;
      const r = queue[head];
      head = head + 1 === n ? 0 : head + 1;
      count--;
      let v1 = -Infinity;
      let v2 = -Infinity;
      let c1 = -1;
      for (let p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
        const a = -sign * weights[p];
        if (a === -Infinity) continue;
        const val = a - price[colIdx[p]];
        if (val > v2) {
          if (val > v1) {
            v2 = v1;
            v1 = val;
            c1 = colIdx[p];
          } else v2 = val;
        }
      }
      if (c1 < 0) return false;
      if (v2 === -Infinity) v2 = v1 - lonely;
      price[c1] += v1 - v2 + eps;
      const prev = owner[c1];
      owner[c1] = r;
      col4row[r] = c1;
      if (prev >= 0) {
        col4row[prev] = -1;
        queue[(head + count) % n] = prev;
        count++;
      }
    }
    if (eps === finalEps) break;
  }
  // Duals of the exact pass: v = −price; u = each row's smallest reduced cost. Pairs that are
  // not exactly at it are let go.
  row4col.fill(-1);
  for (let j = 0; j < m; j++) v[j] = -price[j];
  for (let r = 0; r < n; r++) {
    let best = Infinity;
    let bestCol = -1;
    for (let p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
      const h = sign * weights[p] - v[colIdx[p]];
      if (h < best) {
        best = h;
        bestCol = colIdx[p];
      }
    }
    u[r] = best < Infinity ? best : 0;
    const j = col4row[r];
    let tight = j === bestCol;
    if (!tight && j >= 0) {
      for (let p = rowPtr[r]; p < rowPtr[r + 1]; p++) if (colIdx[p] === j) tight = sign * weights[p] - v[j] === best;
    }
    if (tight && j >= 0) row4col[j] = r;
    else col4row[r] = -1;
  }
  return true;
}

function transposeGraph(g: CandidateGraph): CandidateGraph {
  const { rows, cols, rowPtr, colIdx, weights } = g;
  const ptr = new Int32Array(cols + 1);
  for (let p = 0; p < colIdx.length; p++) ptr[colIdx[p] + 1]++;
  for (let c = 0; c < cols; c++) ptr[c + 1] += ptr[c];
  const next = ptr.slice(0, cols);
  const idx = new Int32Array(colIdx.length);
  const w = new Float64Array(colIdx.length);
  for (let r = 0; r < rows; r++) {
    for (let p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
      const q = next[colIdx[p]]++;
      idx[q] = r;
      w[q] = weights[p];
    }
  }
  return { rows: cols, cols: rows, rowPtr: ptr, colIdx: idx, weights: w };
}

/**
 * LAPJV-style start, valid with all column prices ≤ 0 and free columns at 0: augmenting row
 * reduction, each free row taking its cheapest column at a lowered price. Fills col4row,
 * row4col, v and u (u_r = the row's smallest reduced cost).
 */
function rowReductionStart(g: CandidateGraph, sign: number, start: StartState): void {
  const { rows: n, rowPtr, colIdx, weights } = g;
  const { col4row, row4col, v, u } = start;
  const freeRows = new Int32Array(n);
  let numFree = 0;
  for (let r = 0; r < n; r++) freeRows[numFree++] = r;
  for (let pass = 0; pass < 2; pass++) {
    const prv = numFree;
    numFree = 0;
    let budget = 8 * prv + 16;
    let k = 0;
    while (k < prv) {
      if (--budget < 0) {
        while (k < prv) freeRows[numFree++] = freeRows[k++];
        break;
      }
      const r = freeRows[k++];
      let umin = Infinity;
      let usub = Infinity;
      let j1 = -1;
      let j2 = -1;
      for (let p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
        const j = colIdx[p];
        const h = sign * weights[p] - v[j];
        if (h < usub) {
          if (h >= umin) {
            usub = h;
            j2 = j;
          } else {
            usub = umin;
            umin = h;
            j2 = j1;
            j1 = j;
          }
        }
      }
      if (j1 < 0 || !(umin < Infinity)) continue; // no allowed candidate: stays unassigned
      let i0 = row4col[j1];
      const strict = umin < usub;
      if (strict) {
        if (usub < Infinity) v[j1] -= usub - umin;
      } else if (i0 >= 0) {
        j1 = j2;
        i0 = row4col[j2];
      }
      if (i0 >= 0) col4row[i0] = -1;
      col4row[r] = j1;
      row4col[j1] = r;
      if (i0 >= 0) {
        if (strict && usub < Infinity) freeRows[--k] = i0;
        else freeRows[numFree++] = i0;
      }
    }
  }
  for (let r = 0; r < n; r++) {
    let best = Infinity;
    for (let p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
      const h = sign * weights[p] - v[colIdx[p]];
      if (h < best) best = h;
    }
    u[r] = best < Infinity ? best : 0;
  }
}

/** Scalar shortest augmenting paths (Dijkstra, binary heap). Null when a row cannot be placed. */
function solveScalar(g: CandidateGraph, maximize: boolean): Int32Array | null {
  const { rows: n, cols: m, rowPtr, colIdx, weights } = g;
  const sign = maximize ? -1 : 1;
  const u = new Float64Array(n);
  const v = new Float64Array(m);
  const d = new Float64Array(m).fill(Infinity);
  const pred = new Int32Array(m);
  const done = new Uint8Array(m);
  const row4col = new Int32Array(m).fill(-1);
  const col4row = new Int32Array(n).fill(-1);
  const touched = new Int32Array(m);
  const heap = new ScalarHeap(1024);
  const start = { col4row, row4col, v, u };
  if (!auctionStart(g, sign, start)) {
    v.fill(0);
    row4col.fill(-1);
    col4row.fill(-1);
    rowReductionStart(g, sign, start);
  }

  for (let cur = 0; cur < n; cur++) {
    if (col4row[cur] >= 0) continue;
    let hasEdge = false;
    for (let p = rowPtr[cur]; p < rowPtr[cur + 1]; p++) if (sign * weights[p] < Infinity) hasEdge = true;
    if (!hasEdge) continue;
    let nTouched = 0;
    heap.clear();
    // The closest free column seen so far bounds the search: nothing at or beyond it needs
    // to enter the heap, and the search ends when the heap's top reaches it.
    let sink = -1;
    let sinkD = Infinity;
    let i = cur;
    let base = 0;
    for (;;) {
      const ui = u[i];
      const end = rowPtr[i + 1];
      for (let p = rowPtr[i]; p < end; p++) {
        const j = colIdx[p];
        if (done[j]) continue;
        const dist = base + sign * weights[p] - ui - v[j];
        if (dist < d[j]) {
          if (d[j] === Infinity) touched[nTouched++] = j;
          d[j] = dist;
          pred[j] = i;
          if (row4col[j] < 0) {
            if (dist < sinkD) {
              sinkD = dist;
              sink = j;
            }
          } else if (dist < sinkD) {
            heap.push(dist, j);
          }
        }
      }
      let j = -1;
      while (heap.size > 0 && heap.peekKey() < sinkD) {
        const top = heap.pop();
        if (!done[top] && heap.lastKey === d[top]) {
          j = top;
          break;
        }
      }
      if (j < 0) {
        if (sink < 0) return null; // no free column reachable
        done[sink] = 1;
        break;
      }
      done[j] = 1;
      i = row4col[j];
      base = d[j];
    }
    u[cur] += sinkD;
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t];
      if (done[j] && j !== sink) {
        const delta = sinkD - d[j];
        v[j] -= delta;
        u[row4col[j]] += delta;
      }
    }
    let j = sink;
    for (;;) {
      const r = pred[j];
      row4col[j] = r;
      const prev = col4row[r];
      col4row[r] = j;
      if (r === cur) break;
      j = prev;
    }
    for (let t = 0; t < nTouched; t++) {
      const jj = touched[t];
      d[jj] = Infinity;
      done[jj] = 0;
    }
  }
  return col4row;
}

/**
 * Successive shortest paths with a binary heap (Dijkstra on reduced costs). Each row also has
 * a private "unassigned" column of cost (1, 0) while real edges cost (0, c); comparing costs
 * lexicographically makes the result have the most pairs, then the best total, and every
 * search succeed. Forbidden weights (+∞ when minimising, −∞ when maximising) are skipped.
 */
function solveLexicographicGraph(g: CandidateGraph, maximize: boolean): Int32Array {
  const { rows: n, cols: m, rowPtr, colIdx, weights } = g;
  const sign = maximize ? -1 : 1;
  const M = m + n;
  const uA = new Float64Array(n);
  const uB = new Float64Array(n);
  const vA = new Float64Array(M);
  const vB = new Float64Array(M);
  const dA = new Float64Array(M).fill(Infinity);
  const dB = new Float64Array(M).fill(Infinity);
  const pred = new Int32Array(M);
  const done = new Uint8Array(M);
  const row4col = new Int32Array(M).fill(-1);
  const col4row = new Int32Array(n).fill(-1);
  const touched = new Int32Array(M);
  const heap = new PairHeap(1024);
  // Private columns keep price 0 and are not touched by the start.
  rowReductionStart(g, sign, { col4row, row4col, v: vB, u: uB });

  for (let cur = 0; cur < n; cur++) {
    if (col4row[cur] >= 0) continue;
    let hasEdge = false;
    for (let p = rowPtr[cur]; p < rowPtr[cur + 1]; p++) if (sign * weights[p] < Infinity) hasEdge = true;
    if (!hasEdge) continue;

    let nTouched = 0;
    heap.clear();
    let sink = -1;
    let sinkA = 0;
    let sinkB = 0;
    // Relax from row i, reached at distance (baseA, baseB) through its column.
    let i = cur;
    let baseA = 0;
    let baseB = 0;
    for (;;) {
      const ua = uA[i];
      const ub = uB[i];
      for (let p = rowPtr[i]; p <= rowPtr[i + 1]; p++) {
        let j: number;
        let cA: number;
        let cB: number;
        if (p < rowPtr[i + 1]) {
          j = colIdx[p];
          cB = sign * weights[p];
          if (!(cB < Infinity)) continue;
          cA = 0;
        } else {
          j = m + i; // the row's own "unassigned" column
          cA = 1;
          cB = 0;
        }
        if (done[j]) continue;
        const a = baseA + cA - ua - vA[j];
        const b = baseB + cB - ub - vB[j];
        if (a < dA[j] || (a === dA[j] && b < dB[j])) {
          if (dA[j] === Infinity) touched[nTouched++] = j;
          dA[j] = a;
          dB[j] = b;
          pred[j] = i;
          heap.push(a, b, j);
        }
      }
      // Next closest column not yet final.
      let j = -1;
      while (heap.size > 0) {
        const top = heap.popCol();
        if (!done[top] && heap.lastA === dA[top] && heap.lastB === dB[top]) {
          j = top;
          break;
        }
      }
      if (j < 0) break; // cannot happen: the own column is always reachable
      done[j] = 1;
      if (row4col[j] < 0) {
        sink = j;
        sinkA = dA[j];
        sinkB = dB[j];
        break;
      }
      i = row4col[j];
      baseA = dA[j];
      baseB = dB[j];
    }
    // Prices: final columns closer than the sink; rows reached through them.
    uA[cur] += sinkA;
    uB[cur] += sinkB;
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t];
      if (done[j] && j !== sink) {
        const ddA = sinkA - dA[j];
        const ddB = sinkB - dB[j];
        vA[j] -= ddA;
        vB[j] -= ddB;
        const r = row4col[j];
        uA[r] += ddA;
        uB[r] += ddB;
      }
    }
    // Augment.
    let j = sink;
    for (;;) {
      const r = pred[j];
      row4col[j] = r;
      const prev = col4row[r];
      col4row[r] = j;
      if (r === cur) break;
      j = prev;
    }
    for (let t = 0; t < nTouched; t++) {
      const jj = touched[t];
      dA[jj] = Infinity;
      dB[jj] = Infinity;
      done[jj] = 0;
    }
  }
  const rowToCol = new Int32Array(n);
  for (let r = 0; r < n; r++) rowToCol[r] = col4row[r] >= 0 && col4row[r] < m ? col4row[r] : -1;
  return rowToCol;
}

/** Binary min-heap of keys with a column payload; stale entries are skipped by the caller. */
class ScalarHeap {
  key: Float64Array;
  col: Int32Array;
  size = 0;
  lastKey = 0;
  constructor(capacity: number) {
    this.key = new Float64Array(capacity);
    this.col = new Int32Array(capacity);
  }
  clear(): void {
    this.size = 0;
  }
  push(k: number, c: number): void {
    if (this.size === this.key.length) {
      const key = new Float64Array(this.size * 2);
      const col = new Int32Array(this.size * 2);
      key.set(this.key);
      col.set(this.col);
      this.key = key;
      this.col = col;
    }
    const K = this.key;
    const C = this.col;
    let p = this.size++;
    while (p > 0) {
      const q = (p - 1) >> 1;
      if (K[q] <= k) break;
      K[p] = K[q];
      C[p] = C[q];
      p = q;
    }
    K[p] = k;
    C[p] = c;
  }
  peekKey(): number {
    return this.key[0];
  }
  /** Removes the smallest entry; its key is left in lastKey. */
  pop(): number {
    const K = this.key;
    const C = this.col;
    const top = C[0];
    this.lastKey = K[0];
    const n = --this.size;
    const k = K[n];
    const c = C[n];
    let p = 0;
    for (;;) {
      const l = 2 * p + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && K[r] < K[l] ? r : l;
      if (K[child] >= k) break;
      K[p] = K[child];
      C[p] = C[child];
      p = child;
    }
    K[p] = k;
    C[p] = c;
    return top;
  }
}

/** Binary min-heap of (a, b) keys with a column payload; stale entries are skipped by the caller. */
class PairHeap {
  a: Float64Array;
  b: Float64Array;
  col: Int32Array;
  size = 0;
  lastA = 0;
  lastB = 0;
  constructor(capacity: number) {
    this.a = new Float64Array(capacity);
    this.b = new Float64Array(capacity);
    this.col = new Int32Array(capacity);
  }
  clear(): void {
    this.size = 0;
  }
  push(a: number, b: number, c: number): void {
    if (this.size === this.a.length) this.grow();
    const A = this.a;
    const B = this.b;
    const C = this.col;
    let p = this.size++;
    while (p > 0) {
      const q = (p - 1) >> 1;
      if (A[q] < a || (A[q] === a && B[q] <= b)) break;
      A[p] = A[q];
      B[p] = B[q];
      C[p] = C[q];
      p = q;
    }
    A[p] = a;
    B[p] = b;
    C[p] = c;
  }
  /** Removes the smallest entry; its key is left in lastA/lastB. */
  popCol(): number {
    const A = this.a;
    const B = this.b;
    const C = this.col;
    const top = C[0];
    this.lastA = A[0];
    this.lastB = B[0];
    const n = --this.size;
    const a = A[n];
    const b = B[n];
    const c = C[n];
    let p = 0;
    for (;;) {
      const l = 2 * p + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && (A[r] < A[l] || (A[r] === A[l] && B[r] < B[l])) ? r : l;
      if (A[child] > a || (A[child] === a && B[child] >= b)) break;
      A[p] = A[child];
      B[p] = B[child];
      C[p] = C[child];
      p = child;
    }
    A[p] = a;
    B[p] = b;
    C[p] = c;
    return top;
  }
  private grow(): void {
    const cap = this.a.length * 2;
    const a = new Float64Array(cap);
    const b = new Float64Array(cap);
    const c = new Int32Array(cap);
    a.set(this.a);
    b.set(this.b);
    c.set(this.col);
    this.a = a;
    this.b = b;
    this.col = c;
  }
}
