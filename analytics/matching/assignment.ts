/**
 * Exact rectangular linear assignment on typed arrays (Jonker–Volgenant style).
 *
 * Semantics (see docs/decisions/0004-assignment-solver.md):
 * - `scores` is row-major rows×cols and is never modified nor copied.
 * - Minimise by default (as scipy's `linear_sum_assignment`); `maximize: true` negates on read.
 * - A forbidden pair is +Infinity when minimising, −Infinity when maximising. The opposite
 *   infinity and NaN throw.
 * - The result is, among the assignments with the largest possible number of (allowed)
 *   pairs, one with the optimal total. When no forbidden cell gets in the way that means every
 *   row of the smaller side is assigned. Rows left out get −1 (scipy raises instead).
 */

export interface AssignmentOptions {
  /** Maximise the total score instead of minimising it. Default false. */
  maximize?: boolean;
}

export interface AssignmentResult {
  /** For each row, its column, or −1 when unassigned. */
  rowToCol: Int32Array;
  /** Sum of `scores` over the assigned pairs (0 when nothing is assigned). */
  total: number;
}

// Int32 offsets keep the index arithmetic in small integers (a Float64Array of offsets made
// V8 convert every index from a double). A matrix that needs more cannot be allocated anyway.
type Offsets = Int32Array;

/**
 * A view of the input as a cost matrix in the orientation the solver works on (n ≤ m):
 * cost(i, j) = sign × a[rowOff[i] + (colOff ? colOff[j] : j)]. Transposition and capacity
 * expansion only change the offset arrays, so the matrix itself is never copied.
 */
interface CostView {
  a: Float64Array;
  sign: number;
  n: number;
  m: number;
  rowOff: Offsets;
  /** null = identity (contiguous rows: the fast path). */
  colOff: Offsets | null;
  /** Rows that have no allowed cell at all: left out from the start. */
  deadRow: Uint8Array;
}

// ---------------------------------------------------------------------------------------
// Public API

export function solveAssignment(
  scores: Float64Array,
  rows: number,
  cols: number,
  options: AssignmentOptions = {},
): AssignmentResult {
  checkShape("solveAssignment", scores, rows, cols);
  const maximize = options.maximize === true;
  checkCells("solveAssignment", scores, cols, maximize);
  const rowToCol = new Int32Array(rows).fill(-1);
  if (rows === 0 || cols === 0) return { rowToCol, total: 0 };

  const sign = maximize ? -1 : 1;
  let view: CostView;
  const transposed = rows > cols;
  if (!transposed) {
    const rowOff = new Int32Array(rows);
    for (let i = 0; i < rows; i++) rowOff[i] = i * cols;
    view = { a: scores, sign, n: rows, m: cols, rowOff, colOff: null, deadRow: new Uint8Array(rows) };
  } else {
    const rowOff = new Int32Array(cols);
    for (let j = 0; j < cols; j++) rowOff[j] = j;
    const colOff = new Int32Array(rows);
    for (let i = 0; i < rows; i++) colOff[i] = i * cols;
    view = { a: scores, sign, n: cols, m: rows, rowOff, colOff, deadRow: new Uint8Array(cols) };
  }
  const x = solveView(view);
  if (!transposed) rowToCol.set(x);
  else for (let j = 0; j < cols; j++) if (x[j] >= 0) rowToCol[x[j]] = j;

  let total = 0;
  for (let i = 0; i < rows; i++) if (rowToCol[i] >= 0) total += scores[i * cols + rowToCol[i]];
  return { rowToCol, total };
}

/**
 * Assignment where column j may take up to `capacities[j]` rows (a number = the same
 * capacity for every column). Solved exactly by column expansion: column j is repeated
 * capacities[j] times through an offset array, the matrix is not copied.
 * Returns for each row its real column (or −1), with the same semantics as solveAssignment.
 */
export function solveAssignmentWithCapacities(
  scores: Float64Array,
  rows: number,
  cols: number,
  capacities: Int32Array | ArrayLike<number> | number,
  options: AssignmentOptions = {},
): AssignmentResult {
  checkShape("solveAssignmentWithCapacities", scores, rows, cols);
  const maximize = options.maximize === true;
  const caps = new Int32Array(cols);
  for (let j = 0; j < cols; j++) {
    const c = typeof capacities === "number" ? capacities : capacities[j];
    if (!Number.isInteger(c) || c < 0) {
      throw new Error(`solveAssignmentWithCapacities: invalid capacity ${c} for col ${j}`);
    }
    // More copies than rows can never be used.
    caps[j] = Math.min(c, rows);
  }
  checkCells("solveAssignmentWithCapacities", scores, cols, maximize);
  const rowToCol = new Int32Array(rows).fill(-1);
  let slots = 0;
  for (let j = 0; j < cols; j++) slots += caps[j];
  if (rows === 0 || slots === 0) return { rowToCol, total: 0 };

  const slotCol = new Int32Array(slots);
  for (let j = 0, k = 0; j < cols; j++) for (let c = 0; c < caps[j]; c++) slotCol[k++] = j;

  const sign = maximize ? -1 : 1;
  const transposed = rows > slots;
  let view: CostView;
  if (!transposed) {
    const rowOff = new Int32Array(rows);
    for (let i = 0; i < rows; i++) rowOff[i] = i * cols;
    view = { a: scores, sign, n: rows, m: slots, rowOff, colOff: slotCol, deadRow: new Uint8Array(rows) };
  } else {
    const colOff = new Int32Array(rows);
    for (let i = 0; i < rows; i++) colOff[i] = i * cols;
    view = { a: scores, sign, n: slots, m: rows, rowOff: slotCol, colOff, deadRow: new Uint8Array(slots) };
  }
  const x = solveView(view);
  if (!transposed) for (let i = 0; i < rows; i++) rowToCol[i] = x[i] >= 0 ? slotCol[x[i]] : -1;
  else for (let k = 0; k < slots; k++) if (x[k] >= 0) rowToCol[x[k]] = slotCol[k];

  let total = 0;
  for (let i = 0; i < rows; i++) if (rowToCol[i] >= 0) total += scores[i * cols + rowToCol[i]];
  return { rowToCol, total };
}

// ---------------------------------------------------------------------------------------
// Validation

function checkShape(fn: string, scores: Float64Array, rows: number, cols: number): void {
  if (!(scores instanceof Float64Array)) throw new Error(`${fn}: scores must be a Float64Array`);
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new Error(`${fn}: invalid shape ${rows}×${cols}`);
  }
  if (scores.length !== rows * cols) {
    throw new Error(`${fn}: scores.length is ${scores.length}, expected rows×cols = ${rows}×${cols} = ${rows * cols}`);
  }
  if (rows * cols > 0x7fffffff) {
    throw new Error(`${fn}: ${rows}×${cols} is beyond int32 offsets; use solveSparseAssignment`);
  }
}

/** One pass over the matrix: throws on NaN or on the wrong infinity. */
function checkCells(fn: string, a: Float64Array, cols: number, maximize: boolean): void {
  const forbidden = maximize ? -Infinity : Infinity;
  for (let k = 0; k < a.length; k++) {
    const s = a[k];
    // NaN fails both comparisons; finite values, the common case, take one branch.
    if (!(s > -Infinity && s < Infinity) && s !== forbidden) {
      const i = Math.floor(k / cols);
      const j = k - i * cols;
      if (s !== s) throw new Error(`${fn}: NaN at row ${i}, col ${j}`);
      throw new Error(
        `${fn}: ${s} at row ${i}, col ${j} (forbidden pairs are ${forbidden} when ${maximize ? "maximising" : "minimising"})`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------
// Solver on a view (n ≤ m). Returns rowToCol in the view's orientation.

/** Rows of the view without any allowed cell; usually the first cell settles it. */
function markDeadRows(view: CostView): boolean {
  const { a, n, m, rowOff, colOff, deadRow } = view;
  let any = false;
  for (let i = 0; i < n; i++) {
    let dead = 1;
    for (let j = 0; j < m; j++) {
      const s = a[rowOff[i] + (colOff === null ? j : colOff[j])];
      if (s > -Infinity && s < Infinity) {
        dead = 0;
        break;
      }
    }
    deadRow[i] = dead;
    if (dead) any = true;
  }
  return any;
}

/**
 * LAPJV phases. A row whose search finds no free column is skipped (it can never find one
 * later: augmentations elsewhere do not create a path for it), and the skipped rows are then
 * handled by the exact lexicographic phase, warm-started from this state.
 */
function solveView(view: CostView): Int32Array {
  const { n, m } = view;
  const x = new Int32Array(n);
  const y = new Int32Array(m);
  const v = new Float64Array(m);
  const anyDead = markDeadRows(view);
  const free = new Int32Array(n);

  // Column reduction is only valid when every column ends up assigned (square, and no row
  // left out): in a rectangular problem the free columns must keep the largest price (0).
  let reduce = n === m && !anyDead;
  for (;;) {
    x.fill(-1);
    y.fill(-1);
    v.fill(0);
    if (reduce && !columnReduction(view, x, y, v)) {
      reduce = false;
      x.fill(-1);
      y.fill(-1);
      v.fill(0);
    }
    let numFree = 0;
    for (let i = 0; i < n; i++) if (x[i] < 0 && !view.deadRow[i]) free[numFree++] = i;
    numFree = augmentingRowReduction(view, x, y, v, free, numFree);
    numFree = augmentingRowReduction(view, x, y, v, free, numFree);
    const numFailed = augment(view, x, y, v, free, numFree);
    if (numFailed === 0) return x;
    // Some rows could not be placed: allowed pairs compete. The column-reduced prices are
    // not valid once a column stays free, so start again without them.
    if (reduce) {
      reduce = false;
      continue;
    }
    return solveLexicographic(view, x, y, v, free.subarray(0, numFailed));
  }
}

/**
 * LAPJV column reduction and reduction transfer, for square problems without forbidden
 * cells in a column. Column minima are found in one row-major pass (cache friendly).
 * Returns false (leaving the arrays to be reset) if a column has no finite cell.
 */
function columnReduction(view: CostView, x: Int32Array, y: Int32Array, v: Float64Array): boolean {
  const { a, sign, n, m, rowOff, colOff } = view;
  const colMin = v; // v_j = min_i c_ij
  colMin.fill(Infinity);
  const argMin = new Int32Array(m);
  for (let i = 0; i < n; i++) {
    const ro = rowOff[i];
    if (colOff === null) {
      for (let j = 0; j < m; j++) {
        const c = sign * a[ro + j];
        if (c < colMin[j]) {
          colMin[j] = c;
          argMin[j] = i;
        }
      }
    } else {
      for (let j = 0; j < m; j++) {
        const c = sign * a[ro + colOff[j]];
        if (c < colMin[j]) {
          colMin[j] = c;
          argMin[j] = i;
        }
      }
    }
  }
  for (let j = 0; j < m; j++) if (colMin[j] === Infinity) return false;

  const matches = new Int32Array(n);
  for (let j = m - 1; j >= 0; j--) {
    const i = argMin[j];
    if (matches[i]++ === 0) {
      x[i] = j;
      y[j] = i;
    }
  }
  // Reduction transfer: a row assigned once gives its slack to its column's price.
  for (let i = 0; i < n; i++) {
    if (matches[i] !== 1) continue;
    const j1 = x[i];
    const ro = rowOff[i];
    let min = Infinity;
    if (colOff === null) {
      for (let j = 0; j < m; j++) {
        if (j === j1) continue;
        const h = sign * a[ro + j] - v[j];
        if (h < min) min = h;
      }
    } else {
      for (let j = 0; j < m; j++) {
        if (j === j1) continue;
        const h = sign * a[ro + colOff[j]] - v[j];
        if (h < min) min = h;
      }
    }
    if (min < Infinity) v[j1] -= min;
  }
  return true;
}

/**
 * LAPJV augmenting row reduction: each free row takes its cheapest column (reduced costs
 * c − v), lowering that column's price to its second-cheapest, and may push out the row
 * that held it. Keeps, for every assigned row, its column at its minimum reduced cost.
 * The number of steps is capped: whatever is left goes to the shortest augmenting paths.
 */
function augmentingRowReduction(
  view: CostView,
  x: Int32Array,
  y: Int32Array,
  v: Float64Array,
  free: Int32Array,
  numFree: number,
): number {
  const { a, sign, m, rowOff, colOff } = view;
  const prvNumFree = numFree;
  let k = 0;
  numFree = 0;
  let budget = 6 * prvNumFree + 16;
  while (k < prvNumFree) {
    if (--budget < 0) {
      // Keep the rows not yet handled for the augmentation phase.
      while (k < prvNumFree) free[numFree++] = free[k++];
      break;
    }
    const i = free[k++];
    const ro = rowOff[i];
    let umin = Infinity;
    let usubmin = Infinity;
    let j1 = -1;
    let j2 = -1;
    if (colOff === null) {
      for (let j = 0; j < m; j++) {
        const h = sign * a[ro + j] - v[j];
        if (h < usubmin) {
          if (h >= umin) {
            usubmin = h;
            j2 = j;
          } else {
            usubmin = umin;
            umin = h;
            j2 = j1;
            j1 = j;
          }
        }
      }
    } else {
      for (let j = 0; j < m; j++) {
        const h = sign * a[ro + colOff[j]] - v[j];
        if (h < usubmin) {
          if (h >= umin) {
            usubmin = h;
            j2 = j;
          } else {
            usubmin = umin;
            umin = h;
            j2 = j1;
            j1 = j;
          }
        }
      }
    }
    if (j1 < 0) {
      // No allowed cell: the augmentation will find no path and switch to the exact fallback.
      free[numFree++] = i;
      continue;
    }
    let i0 = y[j1];
    const strict = umin < usubmin;
    if (strict) {
      // Lower the price only by a finite amount.
      if (usubmin < Infinity) v[j1] -= usubmin - umin;
    } else if (i0 >= 0) {
      j1 = j2;
      i0 = y[j2];
    }
    if (i0 >= 0) x[i0] = -1;
    x[i] = j1;
    y[j1] = i;
    if (i0 >= 0) {
      if (strict && usubmin < Infinity) free[--k] = i0;
      else free[numFree++] = i0;
    }
  }
  return numFree;
}

/**
 * Shortest augmenting paths (Dijkstra on reduced costs c − v, u implicit as in LAPJV), one
 * free row at a time. The columns still to reach are kept in a list sorted by index, so
 * that each scanned row is read in increasing address order; one fused pass relaxes the
 * distances and finds the next closest column (preferring a free one on ties, as scipy).
 * Column prices only decrease and free columns keep price 0, which keeps the rectangular
 * optimality conditions. Rows without an augmenting path are skipped and listed at the start
 * of `free`; returns how many.
 */
function augment(
  view: CostView,
  x: Int32Array,
  y: Int32Array,
  v: Float64Array,
  free: Int32Array,
  numFree: number,
): number {
  const { a, sign, m, rowOff, colOff } = view;
  let numFailed = 0;
  const d = new Float64Array(m);
  const pred = new Int32Array(m);
  const todo = new Int32Array(m);
  const ready = new Int32Array(m);

  search: for (let f = 0; f < numFree; f++) {
    const freeRow = free[f];
    const fro = rowOff[freeRow];
    let min = Infinity;
    let pos = -1;
    for (let j = 0; j < m; j++) {
      const dj = sign * a[fro + (colOff === null ? j : colOff[j])] - v[j];
      d[j] = dj;
      pred[j] = freeRow;
      todo[j] = j;
      if (dj < min || (dj === min && y[j] < 0)) {
        min = dj;
        pos = j;
      }
    }
    let nTodo = m;
    let nReady = 0;
    let endOfPath = -1;
    for (;;) {
      if (min === Infinity) {
        // No free column reachable; nothing was changed. (f ≥ numFailed: safe to overwrite.)
        free[numFailed++] = freeRow;
        continue search;
      }
      const j1 = todo[pos];
      if (y[j1] < 0) {
        endOfPath = j1;
        break;
      }
      ready[nReady++] = j1;
      todo.copyWithin(pos, pos + 1, nTodo);
      nTodo--;
      const i = y[j1];
      const ro = rowOff[i];
      // Row i is tight at j1: its implicit u_i = c(i, j1) − v[j1].
      const h = sign * a[ro + (colOff === null ? j1 : colOff[j1])] - v[j1] - min;
      let newMin = Infinity;
      let newPos = -1;
      if (colOff === null) {
        for (let t = 0; t < nTodo; t++) {
          const j = todo[t];
          let dj = d[j];
          const v2 = sign * a[ro + j] - v[j] - h;
          if (v2 < dj) {
            dj = v2;
            d[j] = v2;
            pred[j] = i;
          }
          if (dj < newMin || (dj === newMin && y[j] < 0)) {
            newMin = dj;
            newPos = t;
          }
        }
      } else {
        for (let t = 0; t < nTodo; t++) {
          const j = todo[t];
          let dj = d[j];
          const v2 = sign * a[ro + colOff[j]] - v[j] - h;
          if (v2 < dj) {
            dj = v2;
            d[j] = v2;
            pred[j] = i;
          }
          if (dj < newMin || (dj === newMin && y[j] < 0)) {
            newMin = dj;
            newPos = t;
          }
        }
      }
      min = newMin;
      pos = newPos;
    }
    // Prices of the columns reached before the free one.
    for (let k = 0; k < nReady; k++) {
      const j1 = ready[k];
      v[j1] += d[j1] - min;
    }
    // Augment along the alternating path.
    let j = endOfPath;
    for (;;) {
      const i = pred[j];
      y[j] = i;
      const next = x[i];
      x[i] = j;
      if (i === freeRow) break;
      j = next;
    }
  }
  return numFailed;
}

/**
 * Exact fallback when allowed pairs compete (Hall's condition fails somewhere): each row
 * also gets a private "unassigned" column of cost (1, 0), real cells cost (0, c), and costs
 * compare lexicographically. Shortest augmenting paths (Crouse's form, as in scipy) work
 * unchanged on that ordered group, so the result has the most pairs, then the best total.
 * Warm start: the fast phase's assignment and prices (v ≤ 0, free columns at 0, every
 * assigned row at its cheapest reduced cost) are valid here with zero first components and
 * the private columns at price 0, so only the rows it skipped need a search.
 */
function solveLexicographic(view: CostView, x0: Int32Array, y0: Int32Array, v0: Float64Array, rows: Int32Array): Int32Array {
  const { a, sign, n, m, rowOff, colOff, deadRow } = view;
  const M = m + n; // real columns, then one private column per row
  const uA = new Float64Array(n);
  const uB = new Float64Array(n);
  const vA = new Float64Array(M);
  const vB = new Float64Array(M);
  const spcA = new Float64Array(M);
  const spcB = new Float64Array(M);
  const path = new Int32Array(M);
  const col4row = new Int32Array(n).fill(-1);
  const row4col = new Int32Array(M).fill(-1);
  const remaining = new Int32Array(M);
  const SR = new Uint8Array(n);
  const SC = new Uint8Array(M);
  for (let j = 0; j < m; j++) {
    vB[j] = v0[j];
    row4col[j] = y0[j];
  }
  for (let r = 0; r < n; r++) {
    const j = x0[r];
    if (j < 0) continue;
    col4row[r] = j;
    uB[r] = sign * a[rowOff[r] + (colOff === null ? j : colOff[j])] - v0[j];
  }

  for (let t = 0; t < rows.length; t++) {
    const cur = rows[t];
    if (deadRow[cur]) continue;
    SR.fill(0);
    SC.fill(0);
    spcA.fill(Infinity);
    spcB.fill(Infinity);
    let numRemaining = M;
    for (let it = 0; it < M; it++) remaining[it] = M - it - 1;
    let minA = 0;
    let minB = 0;
    let i = cur;
    let sink = -1;
    while (sink < 0) {
      let index = -1;
      let lowA = Infinity;
      let lowB = Infinity;
      SR[i] = 1;
      const ro = rowOff[i];
      for (let it = 0; it < numRemaining; it++) {
        const j = remaining[it];
        let cA: number;
        let cB: number;
        if (j < m) {
          cB = sign * a[ro + (colOff === null ? j : colOff[j])];
          cA = 0;
          if (cB === Infinity) cA = Infinity;
        } else {
          cA = j - m === i ? 1 : Infinity;
          cB = 0;
        }
        if (cA !== Infinity) {
          const rA = minA + cA - uA[i] - vA[j];
          const rB = minB + cB - uB[i] - vB[j];
          if (rA < spcA[j] || (rA === spcA[j] && rB < spcB[j])) {
            path[j] = i;
            spcA[j] = rA;
            spcB[j] = rB;
          }
        }
        const sA = spcA[j];
        const sB = spcB[j];
        if (sA < lowA || (sA === lowA && (sB < lowB || (sB === lowB && row4col[j] < 0)))) {
          lowA = sA;
          lowB = sB;
          index = it;
        }
      }
      minA = lowA;
      minB = lowB;
      const j = remaining[index];
      if (row4col[j] < 0) sink = j;
      else i = row4col[j];
      SC[j] = 1;
      remaining[index] = remaining[--numRemaining];
    }
    uA[cur] += minA;
    uB[cur] += minB;
    for (let r = 0; r < n; r++) {
      if (SR[r] && r !== cur) {
        const c = col4row[r];
        uA[r] += minA - spcA[c];
        uB[r] += minB - spcB[c];
      }
    }
    for (let j = 0; j < M; j++) {
      if (SC[j]) {
        vA[j] -= minA - spcA[j];
        vB[j] -= minB - spcB[j];
      }
    }
    let j = sink;
    for (;;) {
      const r = path[j];
      row4col[j] = r;
      const prev = col4row[r];
      col4row[r] = j;
      if (r === cur) break;
      j = prev;
    }
  }
  const x = new Int32Array(n);
  for (let r = 0; r < n; r++) x[r] = col4row[r] >= 0 && col4row[r] < m ? col4row[r] : -1;
  return x;
}
