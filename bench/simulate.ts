/**
 * `npx tsx bench/simulate.ts [--runs 100] [--workers N] [--seed S]`
 *
 * Times a whole simulation of `large-demo` (every strategy, --runs seeds of random and of
 * stable, the outcome model with 5-fold cross-validation and 200 bootstrap refits), from
 * reading the program in DuckDB to storing the run. Goal: under 10 s. The demo export is
 * generated with seeds/ and imported with the real ingestion into an in-memory database first
 * (not timed). Prints the comparison table; writes bench/results/simulate.json.
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
import { STRATEGIES } from "../analytics/matching/strategies.ts";
import { generateDemo } from "../seeds/generate.ts";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "100" },
    workers: { type: "string" },
    seed: { type: "string", default: "1" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  process.stdout.write("Usage: npx tsx bench/simulate.ts [--runs 100] [--workers N] [--seed S]\n");
  process.exit(0);
}
const runs = Number(values.runs);
const workers = values.workers === undefined ? defaultWorkers() : Number(values.workers);
const seed = Number(values.seed);
const GOAL_MS = 10_000;

const dir = mkdtempSync(join(tmpdir(), "binome-bench-simulate-"));
try {
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
  mkdirSync(resolve("bench/results"), { recursive: true });
  writeFileSync(
    resolve("bench/results/simulate.json"),
    JSON.stringify(
      {
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
      },
      null,
      2,
    ) + "\n",
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
