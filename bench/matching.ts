/**
 * `npx tsx bench/matching.ts [--sizes 1000,2000,4000,2000x6000] [--repeats 3] [--no-sparse]`
 *
 * Times solveAssignment (maximising uniform random scores) against scipy's
 * linear_sum_assignment on the same matrices in the same run, prints the ratio ours/scipy,
 * checks that the totals agree, then times the sparse top-k mode on a 20,000-participant
 * program and measures its gap to the dense optimum at 8,000. Writes bench/results/matching.json.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { solveAssignment } from "../analytics/matching/assignment.ts";
import { mulberry32 as prng } from "../analytics/matching/rng.ts";
import { buildCandidateGraph, solveSparseAssignment } from "../analytics/matching/sparse-assignment.ts";
import { sparseGap } from "./sparse-gap.ts";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000,2000,4000,2000x6000" },
    repeats: { type: "string", default: "3" },
    "no-sparse": { type: "boolean", default: false },
    "sparse-n": { type: "string", default: "20000" },
    "gap-n": { type: "string", default: "8000" },
    k: { type: "string", default: "48" },
  },
});
const repeats = Number(values.repeats);

function hasScipy(): boolean {
  const r = spawnSync("python3", ["-c", "import scipy, numpy"], { stdio: "ignore" });
  return r.status === 0;
}

interface DenseRow {
  size: string;
  ours_s: number;
  scipy_s: number | null;
  /** ours / scipy, wall clock. */
  ratio: number | null;
  ours_cpu_s: number;
  scipy_cpu_s: number | null;
  /** ours / scipy, CPU time. */
  cpu_ratio: number | null;
  total: number;
  scipy_total: number | null;
  agree: boolean | null;
}

const scipyAvailable = hasScipy();
// Warm the JIT up first (scipy's code is compiled ahead of time).
{
  const rng = prng(1);
  const warm = new Float64Array(300 * 400);
  for (let k = 0; k < warm.length; k++) warm[k] = rng();
  for (let r = 0; r < 3; r++) {
    solveAssignment(warm, 300, 400, { maximize: true });
    solveAssignment(warm.subarray(0, 300 * 300), 300, 300, { maximize: true });
  }
}
const dir = mkdtempSync(join(tmpdir(), "binome-bench-"));
const dense: DenseRow[] = [];
try {
  for (const spec of values.sizes.split(",")) {
    const [rows, cols] = spec.includes("x") ? spec.split("x").map(Number) : [Number(spec), Number(spec)];
    const rng = prng(rows * 7919 + cols);
    const scores = new Float64Array(rows * cols);
    for (let k = 0; k < scores.length; k++) scores[k] = rng();

    // Ours and scipy alternate, best of `repeats` each, so that the load of the other
    // processes on the machine weighs on both alike. CPU time is less noisy than wall time.
    let best = Infinity;
    let bestCpu = Infinity;
    let total = NaN;
    let scipyS: number | null = null;
    let scipyCpu: number | null = null;
    let scipyTotal: number | null = null;
    const file = join(dir, `m-${rows}x${cols}.f64`);
    if (scipyAvailable) writeFileSync(file, new Uint8Array(scores.buffer, scores.byteOffset, scores.byteLength));
    for (let r = 0; r < repeats; r++) {
      const cpu0 = process.cpuUsage();
      const started = performance.now();
      const result = solveAssignment(scores, rows, cols, { maximize: true });
      best = Math.min(best, (performance.now() - started) / 1000);
      bestCpu = Math.min(bestCpu, process.cpuUsage(cpu0).user / 1e6);
      total = result.total;
      if (scipyAvailable) {
        const run = spawnSync("python3", [resolve("bench/scipy_lsa.py"), file, String(rows), String(cols), "1", "1"], {
          encoding: "utf8",
          maxBuffer: 1 << 20,
        });
        if (run.status !== 0) throw new Error(`scipy_lsa.py failed: ${run.stderr}`);
        const out = JSON.parse(run.stdout) as { seconds: number; cpu_seconds: number; total: number };
        scipyS = Math.min(scipyS ?? Infinity, out.seconds);
        scipyCpu = Math.min(scipyCpu ?? Infinity, out.cpu_seconds);
        scipyTotal = out.total;
      }
    }
    if (scipyAvailable) rmSync(file);
    const agree = scipyTotal === null ? null : Math.abs(total - scipyTotal) <= 1e-6 * Math.max(1, Math.abs(scipyTotal));
    const row: DenseRow = {
      size: `${rows}×${cols}`,
      ours_s: round(best),
      scipy_s: scipyS === null ? null : round(scipyS),
      ratio: scipyS === null ? null : round(best / scipyS, 2),
      ours_cpu_s: round(bestCpu),
      scipy_cpu_s: scipyCpu === null ? null : round(scipyCpu),
      cpu_ratio: scipyCpu === null ? null : round(bestCpu / scipyCpu, 2),
      total,
      scipy_total: scipyTotal,
      agree,
    };
    dense.push(row);
    process.stdout.write(
      `dense ${row.size.padEnd(11)} ours ${fmt(row.ours_s)} s  scipy ${row.scipy_s === null ? "   n/a" : fmt(row.scipy_s)} s  ` +
        `ratio ${row.ratio === null ? "n/a" : row.ratio.toFixed(2)}  (cpu ${fmt(row.ours_cpu_s)} / ${row.scipy_cpu_s === null ? "n/a" : fmt(row.scipy_cpu_s)} = ${row.cpu_ratio ?? "n/a"})  totals ${agree === null ? "unchecked" : agree ? "agree" : "DIFFER"}\n`,
    );
    if (agree === false) process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------
// Sparse top-k mode on a synthetic program: mentees and mentors with topics, ages, cities,
// languages and companies, scored like the compatibility model would (plus a little noise).

interface Person {
  topics: Int32Array;
  age: Float64Array;
  city: Int32Array;
  lang: Int32Array;
  company: Int32Array;
  level: Int32Array;
}

function people(n: number, rng: () => number, mentor: boolean): Person {
  const p: Person = {
    topics: new Int32Array(n),
    age: new Float64Array(n),
    city: new Int32Array(n),
    lang: new Int32Array(n),
    company: new Int32Array(n),
    level: new Int32Array(n),
  };
  for (let i = 0; i < n; i++) {
    let t = 0;
    const count = 1 + Math.floor(rng() * 4);
    for (let c = 0; c < count; c++) t |= 1 << Math.floor(rng() * 20);
    p.topics[i] = t;
    p.age[i] = mentor ? 30 + rng() * 35 : 20 + rng() * 25;
    // A few big cities and a long tail.
    p.city[i] = rng() < 0.6 ? Math.floor(rng() * 5) : 5 + Math.floor(rng() * 60);
    p.lang[i] = rng() < 0.85 ? 0 : 1 + Math.floor(rng() * 4);
    p.company[i] = Math.floor(rng() * 40);
    p.level[i] = Math.floor(rng() * 5);
  }
  return p;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function programScore(n: number, seed: number): (i: number, j: number) => number {
  const rng = prng(seed);
  const mentees = people(n, rng, false);
  const mentors = people(n, rng, true);
  // Flat typed arrays closed over directly: the score runs 400 million times at 20,000.
  const [eTopics, eAge, eCity, eLang, eCompany, eLevel] = [mentees.topics, mentees.age, mentees.city, mentees.lang, mentees.company, mentees.level];
  const [rTopics, rAge, rCity, rLang, rCompany, rLevel] = [mentors.topics, mentors.age, mentors.city, mentors.lang, mentors.company, mentors.level];
  const topicWeight = new Float64Array(n);
  for (let i = 0; i < n; i++) topicWeight[i] = 3 / popcount(eTopics[i]);
  return (i, j) => {
    const topicFit = popcount(eTopics[i] & rTopics[j]) * topicWeight[i];
    const gap = rAge[j] - eAge[i];
    const agePart = gap < 0 ? -1.5 : -0.1 * Math.abs(gap - 15);
    const city = eCity[i] === rCity[j] ? 0.8 : 0;
    const lang = eLang[i] === rLang[j] ? 1.2 : 0;
    const cross = eCompany[i] !== rCompany[j] ? 0.5 : 0;
    const levelGap = eLevel[i] + 1 - rLevel[j];
    // Deterministic jitter from the pair's indices breaks the many exact ties.
    const h = Math.imul(Math.imul(i, 0x9e3779b1) ^ j, 0x85ebca6b);
    const jitter = ((h ^ (h >>> 15)) >>> 0) * (0.05 / 4294967296);
    return topicFit + agePart + city + lang + cross - 0.3 * (levelGap < 0 ? -levelGap : levelGap) + jitter;
  };
}

const sparse: Record<string, unknown> = {};
if (!values["no-sparse"]) {
  const k = Number(values.k);
  // Gap at gap-n: dense and sparse on the same program (--gap-n 0 skips it).
  if (Number(values["gap-n"]) > 0) {
    const n = Number(values["gap-n"]);
    const score = programScore(n, 2026);
    const t0 = performance.now();
    const graph = buildCandidateGraph(n, n, score, { k, seed: 1, maximize: true });
    const t1 = performance.now();
    const gap = sparseGap(score, graph, { maximize: true });
    const t2 = performance.now();
    sparse.gap = {
      n,
      k,
      edges: graph.colIdx.length,
      build_s: round((t1 - t0) / 1000),
      ...gap,
      gap_measure_s: round((t2 - t1) / 1000),
    };
    process.stdout.write(
      `sparse gap at ${n}×${n}, k=${k}: sparse total ${gap.sparseTotal.toFixed(3)} (${gap.sparseMatched} matched, ${fmt(gap.sparseSeconds)} s) ` +
        `dense total ${gap.denseTotal.toFixed(3)} (${gap.denseMatched} matched, ${fmt(gap.denseSeconds)} s) ` +
        `gap ${(gap.relativeGap * 100).toFixed(4)} %\n`,
    );
  }
  {
    const n = Number(values["sparse-n"]);
    const score = programScore(n, 2027);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const graph = buildCandidateGraph(n, n, score, { k, seed: 1, maximize: true });
    const t1 = performance.now();
    const cpu1 = process.cpuUsage();
    const result = solveSparseAssignment(graph, { maximize: true, score });
    const t2 = performance.now();
    const cpuBuild = (cpu1.user - cpu0.user) / 1e6;
    const cpuSolve = process.cpuUsage(cpu1).user / 1e6;
    let matched = 0;
    for (const c of result.rowToCol) if (c >= 0) matched++;
    sparse.large = {
      n,
      k,
      edges: graph.colIdx.length,
      build_s: round((t1 - t0) / 1000),
      solve_s: round((t2 - t1) / 1000),
      total_s: round((t2 - t0) / 1000),
      build_cpu_s: round(cpuBuild),
      solve_cpu_s: round(cpuSolve),
      matched,
      total: result.total,
    };
    process.stdout.write(
      `sparse ${n}×${n}, k=${k}: candidates ${fmt((t1 - t0) / 1000)} s + solve ${fmt((t2 - t1) / 1000)} s = ${fmt((t2 - t0) / 1000)} s ` +
        `(cpu ${fmt(cpuBuild)} + ${fmt(cpuSolve)} s), ${matched}/${n} matched\n`,
    );
  }
}

const worst = dense.filter((d) => d.ratio !== null).reduce((m, d) => Math.max(m, d.ratio as number), 0);
const summary =
  dense.map((d) => `${d.size}: ${fmt(d.ours_s)} s${d.ratio === null ? "" : ` (${d.ratio.toFixed(2)}× scipy)`}`).join(", ") +
  (sparse.large ? `; sparse ${(sparse.large as { n: number }).n}²: ${fmt((sparse.large as { total_s: number }).total_s)} s` : "") +
  (sparse.gap ? `, gap ${(((sparse.gap as { relativeGap: number }).relativeGap) * 100).toFixed(3)} % at ${(sparse.gap as { n: number }).n}` : "");
mkdirSync(resolve("bench/results"), { recursive: true });
writeFileSync(
  resolve("bench/results/matching.json"),
  JSON.stringify({ summary, worst_ratio: worst || null, scipy: scipyAvailable, repeats, dense, sparse }, null, 2) + "\n",
);
process.stdout.write(`${summary}\nWritten: bench/results/matching.json\n`);

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
function fmt(x: number): string {
  return x.toFixed(3).padStart(6);
}
