/**
 * The grouped candidate pass (analytics/matching/grouped-candidates.ts) against a full scan on
 * small cohorts: each mentee's k best mentors and each mentor's k best mentees (highest score,
 * then the seeded tie key, then the lowest index) must be exactly those of scoring every pair, with the same seeded fallback
 * edges, while scoring far fewer pairs.
 */
import { describe, expect, it } from "vitest";
import { encodeProgram, programScorer, type ProgramScorer } from "../../analytics/matching/compatibility.ts";
import { groupedCandidateGraph, pairTie } from "../../analytics/matching/grouped-candidates.ts";
import { buildCandidateGraph, finishCandidateGraph, type CandidateGraph } from "../../analytics/matching/sparse-assignment.ts";
import type { ProgramData } from "../../analytics/matching/types.ts";
import { defaultWeights, parseWeights, type Weights } from "../../analytics/matching/weights.ts";
import { matchingCohort } from "../../seeds/matching-cohort.ts";
import { LARGE_DEMO } from "../../seeds/programs.ts";

const cohort = (mentors: number, mentees: number, seed: number) => matchingCohort({ ...LARGE_DEMO, mentors, mentees }, seed) as ProgramData;

function scorerOf(program: ProgramData, weights: Weights): ProgramScorer {
  return programScorer(encodeProgram(program.kind, program.mentors, program.mentees), weights);
}

/** The k best of each of n people among m partners by a full scan: highest score, then lowest index. */
function fullTopK(n: number, m: number, k: number, score: (a: number, b: number) => number, tie: (a: number, b: number) => number): { ids: Int32Array[]; scores: Float64Array[] } {
  const ids: Int32Array[] = [];
  const scores: Float64Array[] = [];
  for (let a = 0; a < n; a++) {
    const all: [number, number][] = [];
    for (let b = 0; b < m; b++) {
      const s = score(a, b);
      if (s !== -Infinity) all.push([s, b]);
    }
    all.sort((x, y) => y[0] - x[0] || tie(a, x[1]) - tie(a, y[1]) || x[1] - y[1]);
    const best = all.slice(0, k);
    ids.push(Int32Array.from(best, (x) => x[1]));
    scores.push(Float64Array.from(best, (x) => x[0]));
  }
  return { ids, scores };
}

/** Each row's (column, weight) pairs by column: the graph up to the order within rows. */
function byColumn(g: CandidateGraph): [number, number][][] {
  return Array.from({ length: g.rows }, (_, r) => {
    const row: [number, number][] = [];
    for (let e = g.rowPtr[r]; e < g.rowPtr[r + 1]; e++) row.push([g.colIdx[e], g.weights[e]]);
    return row.sort((x, y) => x[0] - y[0]);
  });
}

const variants: [string, Weights][] = [
  ["default weights", defaultWeights()],
  [
    "no reverse mentoring and a minimum age gap (forbidden groups)",
    (() => {
      const base = defaultWeights();
      return parseWeights({ ...base, age_gap: { ...base.age_gap, reverse_mentoring: false }, constraints: { ...base.constraints, min_age_gap_years: 5 } });
    })(),
  ],
];

describe("grouped candidate pass", () => {
  for (const [name, weights] of variants) {
    it(`gives the full scan's graph (${name})`, () => {
      const program = cohort(180, 220, 3);
      const scorer = scorerOf(program, weights);
      expect(scorer.groups).not.toBeNull();
      const { rows, cols, score } = scorer;
      const k = 8;
      const options = { k, kCol: k, seed: 5, maximize: true };
      const grouped = groupedCandidateGraph(scorer, scorer.groups!, options);

      const rowBest = fullTopK(rows, cols, k, score, (i, j) => pairTie(5, i, j));
      const colBest = fullTopK(cols, rows, k, (j, i) => score(i, j), (j, i) => pairTie(5, i, j));
      const colHeapRow = new Int32Array(cols * k);
      const colHeapSize = new Int32Array(cols);
      colBest.ids.forEach((ids, j) => {
        colHeapRow.set(ids, j * k);
        colHeapSize[j] = ids.length;
      });
      const full = finishCandidateGraph(rows, cols, score, options, { lists: rowBest.ids, listW: rowBest.scores, colHeapRow, colHeapSize, kCol: k });
      expect(byColumn(grouped)).toEqual(byColumn(full));

      // As good as the pass that scores every pair: the same k best scores per mentee (ties may pick other mentors).
      const heaps = buildCandidateGraph(rows, cols, score, { ...options, kCol: 0, randomPerRow: 0, minPerCol: 0 });
      for (let i = 0; i < rows; i++) {
        const scores = Array.from(heaps.weights.subarray(heaps.rowPtr[i], heaps.rowPtr[i + 1])).sort((x, y) => y - x);
        expect(scores).toEqual(Array.from(rowBest.scores[i]));
      }
    });
  }

  it("scores a small share of the pairs on a larger cohort", () => {
    const program = cohort(2000, 2000, 7);
    const scorer = scorerOf(program, defaultWeights());
    let asked = 0;
    const counted: ProgramScorer = {
      ...scorer,
      score: (i, j) => {
        asked++;
        return scorer.score(i, j);
      },
    };
    const graph = groupedCandidateGraph(counted, scorer.groups!, { k: 32, kCol: 32, seed: 1, maximize: true });
    expect(graph.rowPtr[graph.rows]).toBeGreaterThan(32 * scorer.rows);
    // Both passes (by mentee and by mentor) together, against one full pass (the share falls with the size: 8 % at 20,000²).
    expect(asked).toBeLessThan((scorer.rows * scorer.cols) / 2);
  });

  it("is not offered with forbidden pairs by id (the full scan is used)", () => {
    const program = cohort(20, 20, 1);
    const base = defaultWeights();
    const weights = parseWeights({ ...base, constraints: { ...base.constraints, forbidden_pairs: [{ mentor_id: program.mentors[0].id, mentee_id: program.mentees[0].id }] } });
    expect(scorerOf(program, weights).groups).toBeNull();
  });
});
