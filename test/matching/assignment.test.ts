import { randomLcg } from "d3";
import { munkres } from "munkres";
import { describe, expect, it } from "vitest";
import {
  solveAssignment,
  solveAssignmentWithCapacities,
} from "../../analytics/matching/assignment.ts";
import { buildCandidateGraph, solveSparseAssignment } from "../../analytics/matching/sparse-assignment.ts";
import { sparseGap } from "../../bench/sparse-gap.ts";

type Rng = () => number;

/** Integer scores from a small range (many ties), some forbidden cells. */
function randomInstance(rng: Rng, rows: number, cols: number, maximize: boolean, forbiddenRate: number) {
  const scores = new Float64Array(rows * cols);
  for (let k = 0; k < scores.length; k++) {
    scores[k] = rng() < forbiddenRate ? (maximize ? -Infinity : Infinity) : Math.floor(rng() * 7) - 2;
  }
  return scores;
}

/**
 * Brute force over every matching of allowed cells, where column j may be used cap[j]
 * times: the largest number of pairs first, then the best total.
 */
function bruteForce(scores: Float64Array, rows: number, cols: number, maximize: boolean, cap?: number[]) {
  const left = cap ? cap.slice() : new Array(cols).fill(1);
  let bestCount = -1;
  let bestTotal = 0;
  const better = (count: number, total: number) =>
    count > bestCount || (count === bestCount && (maximize ? total > bestTotal + 1e-9 : total < bestTotal - 1e-9));
  const walk = (i: number, count: number, total: number) => {
    if (i === rows) {
      if (better(count, total)) {
        bestCount = count;
        bestTotal = total;
      }
      return;
    }
    walk(i + 1, count, total);
    for (let j = 0; j < cols; j++) {
      const s = scores[i * cols + j];
      if (!Number.isFinite(s) || left[j] === 0) continue;
      left[j]--;
      walk(i + 1, count + 1, total + s);
      left[j]++;
    }
  };
  walk(0, 0, 0);
  return { count: bestCount, total: bestTotal };
}

function checkResult(
  scores: Float64Array,
  rows: number,
  cols: number,
  rowToCol: Int32Array,
  cap?: number[],
) {
  const used = new Array(cols).fill(0);
  let count = 0;
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const j = rowToCol[i];
    if (j < 0) continue;
    expect(j).toBeLessThan(cols);
    const s = scores[i * cols + j];
    expect(Number.isFinite(s)).toBe(true); // never a forbidden pair
    used[j]++;
    count++;
    total += s;
  }
  for (let j = 0; j < cols; j++) expect(used[j]).toBeLessThanOrEqual(cap ? cap[j] : 1);
  return { count, total };
}

describe("solveAssignment against brute force", () => {
  it("matches on small random instances: ties, forbidden cells, both shapes, min and max", () => {
    const rng = randomLcg(0.42);
    let instances = 0;
    for (let rep = 0; rep < 700; rep++) {
      const rows = 1 + Math.floor(rng() * 7);
      const cols = 1 + Math.floor(rng() * 7);
      const maximize = rng() < 0.5;
      const forbiddenRate = [0, 0.2, 0.5, 0.8][Math.floor(rng() * 4)];
      const scores = randomInstance(rng, rows, cols, maximize, forbiddenRate);
      const before = scores.slice();
      const { rowToCol, total } = solveAssignment(scores, rows, cols, { maximize });
      expect(scores).toEqual(before);
      const got = checkResult(scores, rows, cols, rowToCol);
      const want = bruteForce(scores, rows, cols, maximize);
      expect(got.count, `pairs, ${rows}×${cols} rep ${rep}`).toBe(want.count);
      expect(total).toBeCloseTo(want.total, 9);
      expect(got.total).toBeCloseTo(total, 9);
      instances++;
    }
    expect(instances).toBe(700);
  });

  it("matches on square float instances (column reduction path)", () => {
    const rng = randomLcg(7);
    for (let rep = 0; rep < 200; rep++) {
      const n = 1 + Math.floor(rng() * 7);
      const maximize = rep % 2 === 0;
      const scores = new Float64Array(n * n).map(() => rng() * 10);
      const { total } = solveAssignment(scores, n, n, { maximize });
      expect(total).toBeCloseTo(bruteForce(scores, n, n, maximize).total, 9);
    }
  });
});

function toMatrix(scores: Float64Array, rows: number, cols: number, maximize: boolean): number[][] {
  const m: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const row: number[] = new Array(cols);
    for (let j = 0; j < cols; j++) row[j] = maximize ? -scores[i * cols + j] : scores[i * cols + j];
    m.push(row);
  }
  return m;
}

describe("solveAssignment against munkres", () => {
  for (const [rows, cols, maximize] of [
    [200, 300, true],
    [200, 300, false],
    [300, 200, true],
    [250, 250, false],
  ] as const) {
    it(`agrees to 1e-9 on random ${rows}×${cols} (${maximize ? "max" : "min"})`, () => {
      const rng = randomLcg(rows * 1000 + cols + (maximize ? 1 : 0));
      for (let rep = 0; rep < 3; rep++) {
        const scores = new Float64Array(rows * cols).map(() => rng());
        const { rowToCol, total } = solveAssignment(scores, rows, cols, { maximize });
        const pairs = munkres(toMatrix(scores, rows, cols, maximize));
        let oracle = 0;
        for (const [r, c] of pairs) oracle += scores[r * cols + c];
        expect(Math.abs(total - oracle)).toBeLessThan(1e-9);
        const got = checkResult(scores, rows, cols, rowToCol);
        expect(got.count).toBe(Math.min(rows, cols));
      }
    });
  }
});

describe("solveAssignment edge cases", () => {
  it("throws on NaN with its position", () => {
    const s = new Float64Array([1, 2, 3, NaN]);
    expect(() => solveAssignment(s, 2, 2)).toThrow("solveAssignment: NaN at row 1, col 1");
  });

  it("throws on a wrong length and on the wrong infinity", () => {
    expect(() => solveAssignment(new Float64Array(5), 2, 3)).toThrow(/scores.length is 5, expected/);
    expect(() => solveAssignment(new Float64Array([1, -Infinity]), 1, 2)).toThrow(/-Infinity at row 0, col 1/);
    expect(() => solveAssignment(new Float64Array([1, Infinity]), 1, 2, { maximize: true })).toThrow(
      /Infinity at row 0, col 1/,
    );
  });

  it("leaves an all-forbidden row unassigned", () => {
    const F = -Infinity;
    const s = new Float64Array([5, 1, 2, F, F, F, 3, 9, 1]);
    const { rowToCol, total } = solveAssignment(s, 3, 3, { maximize: true });
    expect(rowToCol[1]).toBe(-1);
    expect(Array.from(rowToCol)).toEqual([0, -1, 1]);
    expect(total).toBe(14);
  });

  it("prefers more pairs to a better total, then the best total among those", () => {
    // Rows 0 and 1 both only fit column 0; row 1 is the better one there.
    const F = Infinity;
    const s = new Float64Array([10, F, 1, F]);
    expect(Array.from(solveAssignment(s, 2, 2).rowToCol)).toEqual([-1, 0]);
    const t = new Float64Array([10, 100, 1, F]); // two pairs beat one cheap pair
    const r = solveAssignment(t, 2, 2);
    expect(Array.from(r.rowToCol)).toEqual([1, 0]);
    expect(r.total).toBe(101);
  });

  it("solves competing forbidden cells exactly on larger instances (warm-started fallback)", () => {
    // Rows 0 and 1 may only take column 0: one of them stays out, and the best choice is
    // max(a00, a10) plus the optimum of rows 2.. on columns 1.. (checked with munkres).
    const rng = randomLcg(11);
    for (const [n, maximize] of [[60, true], [60, false], [45, true]] as const) {
      const F = maximize ? -Infinity : Infinity;
      const s = new Float64Array(n * n).map(() => rng());
      for (let j = 1; j < n; j++) s[j] = s[n + j] = F;
      const sub = new Float64Array((n - 2) * (n - 1));
      for (let i = 2; i < n; i++) for (let j = 1; j < n; j++) sub[(i - 2) * (n - 1) + j - 1] = s[i * n + j];
      let subTotal = 0;
      for (const [r, c] of munkres(toMatrix(sub, n - 2, n - 1, maximize))) subTotal += sub[r * (n - 1) + c];
      const best = maximize ? Math.max(s[0], s[n]) : Math.min(s[0], s[n]);
      const { rowToCol, total } = solveAssignment(s, n, n, { maximize });
      expect(checkResult(s, n, n, rowToCol).count).toBe(n - 1);
      expect(Math.abs(total - (best + subTotal))).toBeLessThan(1e-9);
    }
  });

  it("handles empty shapes", () => {
    expect(solveAssignment(new Float64Array(0), 0, 5).total).toBe(0);
    expect(Array.from(solveAssignment(new Float64Array(0), 3, 0).rowToCol)).toEqual([-1, -1, -1]);
  });
});

describe("solveAssignmentWithCapacities", () => {
  it("is optimal against brute force and never exceeds a capacity", () => {
    const rng = randomLcg(0.1234);
    for (let rep = 0; rep < 300; rep++) {
      const rows = 1 + Math.floor(rng() * 6);
      const cols = 1 + Math.floor(rng() * 4);
      const cap = Array.from({ length: cols }, () => Math.floor(rng() * 3));
      const maximize = rng() < 0.5;
      const scores = randomInstance(rng, rows, cols, maximize, [0, 0.3, 0.6][rep % 3]);
      const before = scores.slice();
      const { rowToCol, total } = solveAssignmentWithCapacities(scores, rows, cols, Int32Array.from(cap), {
        maximize,
      });
      expect(scores).toEqual(before);
      const got = checkResult(scores, rows, cols, rowToCol, cap);
      const want = bruteForce(scores, rows, cols, maximize, cap);
      expect(got.count).toBe(want.count);
      expect(total).toBeCloseTo(want.total, 9);
    }
  });

  it("takes one capacity for every column", () => {
    const s = new Float64Array([1, 5, 2, 6, 3, 7]); // 3 mentees × 2 mentors
    const r = solveAssignmentWithCapacities(s, 3, 2, 2, { maximize: true });
    expect(r.total).toBe(5 + 6 + 3);
    expect(() => solveAssignmentWithCapacities(s, 3, 2, -1)).toThrow(/invalid capacity -1 for col 0/);
  });
});

describe("sparse top-k mode", () => {
  const count = (x: Int32Array) => x.reduce((n, c) => (c >= 0 ? n + 1 : n), 0);

  it("is exact on a complete candidate graph (ties, forbidden cells, both shapes)", () => {
    const rng = randomLcg(99);
    for (let rep = 0; rep < 300; rep++) {
      const rows = 1 + Math.floor(rng() * 7);
      const cols = 1 + Math.floor(rng() * 7);
      const maximize = rng() < 0.5;
      const scores = randomInstance(rng, rows, cols, maximize, [0, 0.3, 0.7][rep % 3]);
      const graph = buildCandidateGraph(rows, cols, (r, c) => scores[r * cols + c], { k: cols, seed: rep, maximize });
      const sparse = solveSparseAssignment(graph, { maximize });
      const want = bruteForce(scores, rows, cols, maximize);
      expect(checkResult(scores, rows, cols, sparse.rowToCol).count).toBe(want.count);
      expect(sparse.total).toBeCloseTo(want.total, 9);
    }
  });

  it("is exact on square candidate graphs where many rows want the same columns (the auction warm start)", () => {
    // Scores on a coarse grid (many exact ties), continuous, or a grid plus differences far
    // below the auction's last ε (which only the exact pass after it sees); popular columns,
    // both senses: the sparse solve must reach the dense optimum on the same candidates.
    const rng = randomLcg(17);
    for (let rep = 0; rep < 12; rep++) {
      const n = 60 + Math.floor(rng() * 140);
      const maximize = rep % 2 === 0;
      const kind = rep % 3;
      const pull = new Float64Array(n).map(() => rng());
      const score = (r: number, c: number) => {
        const x = 0.6 * pull[c] + 0.4 * (((r * 31 + c * 17) % 97) / 97);
        return kind === 0 ? Math.round(x * 20) / 20 : kind === 1 ? x : Math.round(x * 20) / 20 + 1e-11 * ((r * 13 + c * 7) % 10);
      };
      const graph = buildCandidateGraph(n, n, score, { k: 4 + (rep % 4), seed: rep, maximize });
      const bad = maximize ? -Infinity : Infinity;
      const dense = new Float64Array(n * n).fill(bad);
      for (let r = 0; r < n; r++) for (let p = graph.rowPtr[r]; p < graph.rowPtr[r + 1]; p++) dense[r * n + graph.colIdx[p]] = graph.weights[p];
      const want = solveAssignment(dense, n, n, { maximize });
      const sparse = solveSparseAssignment(graph, { maximize });
      expect(checkResult(dense, n, n, sparse.rowToCol).count).toBe(count(want.rowToCol));
      expect(Math.abs(sparse.total - want.total)).toBeLessThan(1e-12 * n);
    }
  });

  it("builds the same candidate graph from approximate rows (exact scores asked only where they may count)", () => {
    const rng = randomLcg(23);
    for (const maximize of [true, false]) {
      const [rows, cols] = [150, 170];
      const raw = new Float64Array(rows * cols).map(() => (rng() < 0.1 ? (maximize ? -Infinity : Infinity) : rng()));
      const score = (r: number, c: number) => Math.round(raw[r * cols + c] * 50) / 50; // many ties
      let asked = 0;
      const counted = (r: number, c: number) => {
        asked++;
        return score(r, c);
      };
      const options = { k: 5, kCol: 4, seed: 9, maximize };
      const exact = buildCandidateGraph(rows, cols, score, options);
      // Off by up to ±0.05 (more than the steps between scores), not in score order.
      const approxRow = (r: number, out: Float64Array) => {
        for (let c = 0; c < cols; c++) out[c] = score(r, c) + 0.05 * Math.sin(r * 7.1 + c * 3.3);
      };
      const approx = buildCandidateGraph(rows, cols, counted, { ...options, approxRow, approxError: 0.05 + 1e-12 });
      expect(approx).toEqual(exact);
      expect(asked).toBeLessThan((rows * cols) / 2);
    }
  });

  it("keeps everyone matched with top-k candidates and reports its gap", () => {
    const rng = randomLcg(5);
    const n = 400;
    const scores = new Float64Array(n * n).map(() => rng());
    const score = (r: number, c: number) => scores[r * n + c];
    const graph = buildCandidateGraph(n, n, score, { k: 8, seed: 3, maximize: true });
    expect(graph.colIdx.length).toBeLessThan(n * 16);
    const sparse = solveSparseAssignment(graph, { maximize: true, score });
    expect(count(sparse.rowToCol)).toBe(n);
    checkResult(scores, n, n, sparse.rowToCol);
    const gap = sparseGap(score, graph, { maximize: true });
    expect(gap.sparseMatched).toBe(n);
    expect(gap.denseMatched).toBe(n);
    expect(gap.absoluteGap).toBeGreaterThanOrEqual(-1e-9);
    expect(gap.relativeGap).toBeLessThan(0.01);
  });

  it("fills the smaller side when there are more rows than columns", () => {
    const rng = randomLcg(8);
    const [rows, cols] = [300, 120];
    const scores = new Float64Array(rows * cols).map(() => rng());
    const score = (r: number, c: number) => scores[r * cols + c];
    const graph = buildCandidateGraph(rows, cols, score, { k: 6, seed: 2 });
    const sparse = solveSparseAssignment(graph, { score });
    expect(checkResult(scores, rows, cols, sparse.rowToCol).count).toBe(cols);
    expect(sparse.total).toBeGreaterThanOrEqual(solveAssignment(scores, rows, cols).total - 1e-9);
  });

  it("widens the candidates of unmatched rows when the top-k graph has no full matching", () => {
    // Everyone prefers the same few mentors: top-2 lists cover only columns 0 and 1.
    const n = 30;
    const score = (r: number, c: number) => (c < 2 ? 100 - c : (r * 7 + c * 3) % 11);
    const graph = buildCandidateGraph(n, n, score, { k: 2, kCol: 0, seed: 1, maximize: true, randomPerRow: 0, minPerCol: 0 });
    expect(count(solveSparseAssignment(graph, { maximize: true }).rowToCol)).toBe(2);
    const repaired = solveSparseAssignment(graph, { maximize: true, score });
    expect(count(repaired.rowToCol)).toBe(n);
    expect(repaired.repairedRows).toBeGreaterThan(0);
    const dense = new Float64Array(n * n);
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) dense[r * n + c] = score(r, c);
    // Feasible, not necessarily optimal: the gap is what sparseGap reports.
    expect(repaired.total).toBeLessThanOrEqual(solveAssignment(dense, n, n, { maximize: true }).total + 1e-9);
  });

  it("rejects malformed graphs and NaN weights", () => {
    const bad = { rows: 1, cols: 2, rowPtr: Int32Array.from([0, 1]), colIdx: Int32Array.from([5]), weights: Float64Array.from([1]) };
    expect(() => solveSparseAssignment(bad)).toThrow(/col 5 out of range at row 0/);
    const nan = { ...bad, colIdx: Int32Array.from([1]), weights: Float64Array.from([NaN]) };
    expect(() => solveSparseAssignment(nan)).toThrow(/NaN at row 0, col 1/);
  });
});
