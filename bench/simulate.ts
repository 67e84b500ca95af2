/**
 * `npx tsx bench/simulate.ts [--runs 100] [--workers N] [--seed S] [--sparse-n 20000] [--gap-n 8000] [--scale 200000] [--skip-large-demo] [--out FILE] [--scipy-timeout 600]`
 *
 * In one run:
 * 1. Times a whole simulation of `large-demo` (every strategy, --runs seeds of random and of
 *    stable, the outcome model with 5-fold cross-validation and 200 bootstrap refits), from
 *    reading the program in DuckDB to storing the run. Goal: under 10 s. The demo export is
 *    generated with seeds/ and imported with the real ingestion into an in-memory database
 *    first (not timed).
 * 2. The sparse mode (issue 15, item 5): a simulation of a --sparse-n × --sparse-n cohort
 *    (large-demo's people and model, seeds/matching-cohort.ts) with optimal, reach and learned;
 *    its CPU time (goal < 60 s), and each exact solve's CPU time against scipy's
 *    `min_weight_full_bipartite_matching` on the same candidate graph (goal ≤ 1.5×).
 * 3. The gap of the sparse mode to the dense optimum at --gap-n (goal < 0.5 %), for optimal,
 *    reach and learned, with bench/sparse-gap.ts.
 * 4. With --scale N (off by default: minutes of CPU): a simulation of the scale demo's cohort
 *    (seeds/programs.ts `scaleDemo(N)`: 0.47 N mentors) with optimal, reach, learned and greedy,
 *    its CPU time, wall time and peak resident memory.
 * Prints the figures; writes bench/results/simulate.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { applySchema, openDatabase } from "../analytics/db/database.server.ts";
import { formatProblem, ingestExport } from "../analytics/ingest/index.server.ts";
import { comparisonTable, modelText } from "../analytics/matching/format.ts";
import { simulateProgram } from "../analytics/matching/simulate.server.ts";
import { defaultWorkers } from "../analytics/matching/simulation.ts";
import { spawnSync } from "node:child_process";
import { encodeProgram, programScorer } from "../analytics/matching/compatibility.ts";
import { crossFittedModels, learnedPairWeight } from "../analytics/matching/learned.ts";
import { deriveSeed } from "../analytics/matching/rng.ts";
import { runSimulation, type SimulationOutput } from "../analytics/matching/simulation.ts";
import { buildSparseProblem, edgeWeightsOf, reachPairWeight, SPARSE_K } from "../analytics/matching/sparse-mode.ts";
import { STRATEGIES } from "../analytics/matching/strategies.ts";
import type { ProgramData } from "../analytics/matching/types.ts";
import { labelledFeatures } from "../analytics/matching/validation.ts";
import { defaultWeights } from "../analytics/matching/weights.ts";
import { generateDemo } from "../seeds/generate.ts";
import { matchingCohort } from "../seeds/matching-cohort.ts";
import { LARGE_DEMO, scaleDemo } from "../seeds/programs.ts";
import { sparseGap } from "./sparse-gap.ts";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "100" },
    workers: { type: "string" },
    seed: { type: "string", default: "1" },
    "sparse-n": { type: "string", default: "20000" },
    "gap-n": { type: "string", default: "8000" },
    scale: { type: "string", default: "0" },
    "skip-large-demo": { type: "boolean", default: false },
    out: { type: "string", default: "bench/results/simulate.json" },
    "scipy-timeout": { type: "string", default: "600" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  process.stdout.write("Usage: npx tsx bench/simulate.ts [--runs 100] [--workers N] [--seed S] [--sparse-n 20000] [--gap-n 8000] [--scale 200000] [--skip-large-demo]\n");
  process.exit(0);
}
const runs = Number(values.runs);
const workers = values.workers === undefined ? defaultWorkers() : Number(values.workers);
const seed = Number(values.seed);
const GOAL_MS = 10_000;

const output: Record<string, unknown> = {};
const dir = mkdtempSync(join(tmpdir(), "binome-bench-simulate-"));
try {
  // Written after each part, so that a long run leaves its first figures.
  const save = () => {
    mkdirSync(resolve("bench/results"), { recursive: true });
    writeFileSync(resolve(values.out), JSON.stringify(output, null, 2) + "\n");
  };
  if (!values["skip-large-demo"]) await largeDemo();
  save();
  if (Number(values["sparse-n"]) > 0) output.sparse = await sparseLarge(Number(values["sparse-n"]));
  save();
  if (Number(values["gap-n"]) > 0) output.sparse_gap = sparseGaps(Number(values["gap-n"]));
  save();
  if (Number(values.scale) > 0) output.scale_demo = await scaleDemoRun(Number(values.scale));
  save();
  process.stdout.write(`load average at the end ${loadavg().map((l) => l.toFixed(1)).join(" ")}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function largeDemo(): Promise<void> {
  const { folders } = await generateDemo({ outDir: dir, programs: ["large-demo"] });
  const db = await openDatabase(":memory:");
  await applySchema(db);
  const ingest = await ingestExport(db, [folders[0].dir]);
  if (ingest.outcome !== "imported") throw new Error(`large-demo import: ${ingest.outcome}\n${ingest.problems.map(formatProblem).join("\n")}`);

  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const sim = await simulateProgram(db, "large-demo", { strategies: STRATEGIES, runs, seed, workers });
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  db.close();

  const table = comparisonTable(sim.result);
  const model = modelText(sim.result.model);
  process.stdout.write(`${model}\n\n${table}\n\n`);
  const summary =
    `whole simulation of large-demo (${sim.result.program.mentors} mentors × ${sim.result.program.mentees} mentees, ` +
    `${STRATEGIES.length} strategies, ${runs} seeds of random and of stable, ${workers} workers): ` +
    `${(elapsedMs / 1000).toFixed(2)} s wall (goal < ${GOAL_MS / 1000} s: ${elapsedMs < GOAL_MS ? "met" : "missed"}), ` +
    `${(cpuMs / 1000).toFixed(2)} s CPU over all threads, load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`;
  process.stdout.write(`${summary}\nsteps (ms): ${JSON.stringify(sim.timings)}\n`);
  Object.assign(output, {
        summary,
        elapsed_ms: Math.round(elapsedMs),
        cpu_ms: Math.round(cpuMs),
        goal_ms: GOAL_MS,
        goal_met: elapsedMs < GOAL_MS,
        runs,
        workers,
        seed,
        steps_ms: sim.timings,
        load_average: loadavg(),
        model: sim.result.model,
        comparison: sim.result.strategies.map((s) => ({
          strategy: s.strategy,
          runs: s.runs,
          coverage: s.coverage.mean,
          compatibility_mean: s.compatibility_mean.mean,
          predicted_success: s.predicted_success,
          cross_generation_rate: s.cross_generation_rate.mean,
          cross_company_rate: s.cross_company_rate.mean,
          median_age_gap_years: s.median_age_gap_years.mean,
          blocking_pairs: s.blocking_pairs.mean,
          fairness_gap_organization: s.fairness.gap_organization,
          fairness_gap_generation: s.fairness.gap_generation,
        })),
        table,
  });
}

/** ours / scipy on one solved graph (CPU time, best of `repeats` for scipy). */
function scipyOn(name: string, graph: SimulationOutput["sparseSolves"][number]["graph"], scale: number): { cpu_s: number; wall_s: number; total: number; matched: number } | { error: string } {
  const prefix = join(dir, name);
  writeFileSync(`${prefix}.rowptr`, new Uint8Array(graph.rowPtr.buffer, graph.rowPtr.byteOffset, graph.rowPtr.byteLength));
  writeFileSync(`${prefix}.col`, new Uint8Array(graph.colIdx.buffer, graph.colIdx.byteOffset, graph.colIdx.byteLength));
  writeFileSync(`${prefix}.w`, new Uint8Array(graph.weights.buffer, graph.weights.byteOffset, graph.weights.byteLength));
  const run = spawnSync("nice", ["-n", "19", "python3", resolve("bench/scipy_sparse.py"), prefix, String(graph.rows), String(graph.cols), "1", "1", String(scale)], { encoding: "utf8", maxBuffer: 1 << 20, timeout: Number(values["scipy-timeout"]) * 1000 });
  if (run.status !== 0) return { error: run.error ? String(run.error) : (run.stderr.trim().split("\n").pop() ?? `exit ${run.status}`) };
  const out = JSON.parse(run.stdout) as { seconds: number; cpu_seconds: number; total: number; matched: number };
  return { cpu_s: round(out.cpu_seconds), wall_s: round(out.seconds), total: out.total, matched: out.matched };
}

/** A sparse-mode simulation of an n × n cohort with optimal, reach and learned; each solve against scipy. */
async function sparseLarge(n: number) {
  const program = matchingCohort({ ...LARGE_DEMO, mentors: n, mentees: n }, seed) as ProgramData;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await runSimulation({ program, training: [program] }, { strategies: ["optimal", "reach", "learned"], runs: 1, seed, weights: defaultWeights(), workers: 0, maxDensePairs: 0 });
  const wall = (performance.now() - t0) / 1000;
  const cpuUsed = process.cpuUsage(cpu0);
  const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
  // scipy on the same graph, costs as integers: exactly the same problem at 1e9 (scores are
  // multiples of 1e-9), and rounded to 1e-6, where scipy's solver runs far faster (bench/scipy_sparse.py).
  const solves = out.sparseSolves.map((solve) => {
    const ours = solve.cpuMs / 1000;
    const exact = scipyOn(solve.strategy, solve.graph, 1e9);
    const rounded = scipyOn(solve.strategy, solve.graph, 1e6);
    const ratio = (s: typeof exact) => ("cpu_s" in s ? round(ours / s.cpu_s, 2) : null);
    return { strategy: solve.strategy, edges: solve.graph.colIdx.length, ours_cpu_s: round(ours), ours_total: solve.total, scipy: exact, cpu_ratio: ratio(exact), scipy_1e6: rounded, cpu_ratio_1e6: ratio(rounded) };
  });
  const info = out.result.sparse!;
  const result = {
    n,
    k: info.k,
    candidates: info.candidates,
    widened: info.widened,
    wall_s: round(wall),
    cpu_s: round(cpu),
    goal_cpu_s: 60,
    goal_met: cpu < 60,
    steps_ms: out.timings,
    solves,
    coverage: Object.fromEntries(out.result.strategies.map((s) => [s.strategy, s.coverage.mean])),
    expected_successes: Object.fromEntries(out.result.strategies.map((s) => [s.strategy, s.expected_successes.mean])),
    load_average: loadavg(),
  };
  process.stdout.write(
    `\nsparse mode, ${n} mentors × ${n} mentees (k = ${info.k}, ${info.candidates} candidate pairs): optimal + reach + learned in ${result.cpu_s.toFixed(1)} s CPU ` +
      `(goal < 60 s: ${result.goal_met ? "met" : "missed"}), ${result.wall_s.toFixed(1)} s wall, load ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores\n` +
      `steps (ms): ${JSON.stringify(out.timings)}\n` +
      solves
        .map(
          (s) =>
            `  ${s.strategy.padEnd(8)} solve ${s.ours_cpu_s.toFixed(2)} s CPU; scipy min_weight_full_bipartite_matching, same costs ×1e9 ${"cpu_s" in s.scipy ? `${s.scipy.cpu_s.toFixed(2)} s CPU → ours ${s.cpu_ratio}× (goal ≤ 1.5×)` : `failed: ${s.scipy.error}`}` +
            `, costs rounded to 1e-6 ${"cpu_s" in s.scipy_1e6 ? `${s.scipy_1e6.cpu_s.toFixed(2)} s CPU → ours ${s.cpu_ratio_1e6}×` : `failed: ${s.scipy_1e6.error}`}`,
        )
        .join("\n") +
      "\n",
  );
  return result;
}

/** A simulation of the scale demo's cohort (N participants) with optimal, reach, learned and greedy. */
async function scaleDemoRun(participants: number) {
  const program = matchingCohort(scaleDemo(participants), seed) as ProgramData;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await runSimulation({ program, training: [program] }, { strategies: ["optimal", "reach", "learned", "greedy"], runs: 1, seed, weights: defaultWeights(), workers: 0, bootstrap: 20 });
  const wall = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu0);
  const cpu = (used.user + used.system) / 1e6;
  const info = out.result.sparse!;
  const result = {
    participants,
    mentors: program.mentors.length,
    mentees: program.mentees.length,
    candidates: info.candidates,
    widened: info.widened,
    wall_s: round(wall),
    cpu_s: round(cpu),
    max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    steps_ms: out.timings,
    coverage: Object.fromEntries(out.result.strategies.map((s) => [s.strategy, s.coverage.mean])),
    expected_successes: Object.fromEntries(out.result.strategies.map((s) => [s.strategy, s.expected_successes.mean])),
    load_average: loadavg(),
  };
  process.stdout.write(
    `\nscale demo, ${result.mentors} mentors × ${result.mentees} mentees (${info.candidates} candidate pairs): optimal + reach + learned + greedy in ${result.cpu_s.toFixed(1)} s CPU, ` +
      `${result.wall_s.toFixed(1)} s wall, peak ${result.max_rss_mb} MB resident, load ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores\nsteps (ms): ${JSON.stringify(out.timings)}\n`,
  );
  return result;
}

/** The sparse mode's gap to the dense optimum at n × n, for optimal, reach and learned (bench/sparse-gap.ts). */
function sparseGaps(n: number) {
  const program = matchingCohort({ ...LARGE_DEMO, mentors: n, mentees: n }, seed + 1) as ProgramData;
  const weights = defaultWeights();
  const enc = encodeProgram(program.kind, program.mentors, program.mentees);
  const scorer = programScorer(enc, weights);
  const problem = buildSparseProblem(scorer, SPARSE_K, deriveSeed(seed, "candidates"));
  const target = weights.age_gap.target_years;
  const { x, y, owner } = labelledFeatures([program], target, program);
  const learned = learnedPairWeight(enc, target, crossFittedModels({ rows: n, x, y, owner, folds: 5, seed: deriveSeed(seed, "learned") }));
  const pairWeights: Record<string, (i: number, j: number) => number> = {
    optimal: scorer.score,
    reach: reachPairWeight(enc, weights, scorer.score),
    learned: (i, j) => (scorer.allowed(i, j) ? learned(i, j) : -Infinity),
  };
  const rows = Object.entries(pairWeights).map(([strategy, weight]) => {
    const graph = { ...problem.graph, weights: edgeWeightsOf(problem, (i, j) => weight(i, j)) };
    const gap = sparseGap(weight, graph, { maximize: true });
    process.stdout.write(
      `sparse vs dense at ${n} × ${n}, ${strategy}: ${(gap.relativeGap * 100).toFixed(3)} % below the dense optimum (goal < 0.5 %); ` +
        `matched ${gap.sparseMatched} / ${gap.denseMatched}; solve ${gap.sparseSeconds.toFixed(1)} s sparse, ${gap.denseSeconds.toFixed(1)} s dense\n`,
    );
    return { strategy, ...gap, goal_met: gap.relativeGap < 0.005 };
  });
  return { n, k: SPARSE_K, candidates: problem.graph.colIdx.length, strategies: rows, load_average: loadavg() };
}

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
