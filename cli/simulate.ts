/**
 * `npm run -s simulate -- --program ID [options]`: replays a program's cohort under several
 * matching strategies and compares predicted outcomes (docs/matching.md).
 */
import { writeFileSync } from "node:fs";
import { EXIT, UsageError, defaultDbPath, parseCommandLine, runCli } from "./common.ts";
import { openAppDatabase } from "../analytics/db/open.server.ts";
import { comparisonTable, modelText, quotaText, sparseText, validationText } from "../analytics/matching/format.ts";
import { parseQuotas } from "../analytics/matching/quota-run.ts";
import { proposalCsv } from "../analytics/matching/proposal.ts";
import { checkSeed } from "../analytics/matching/rng.ts";
import { codeVersion, getRun } from "../analytics/matching/runs.server.ts";
import { simulateProgram, UnknownProgramError } from "../analytics/matching/simulate.server.ts";
import { defaultWorkers } from "../analytics/matching/simulation.ts";
import { STRATEGIES, type StrategyName } from "../analytics/matching/strategies.ts";
import { defaultWeights, loadWeightsFile, parseWeights, WeightsError } from "../analytics/matching/weights.ts";
import { SIMULATION_DEFAULTS } from "../analytics/matching/simulation-options.ts";

const HELP = `Usage: npm run -s simulate -- --program ID [options]

Replays a program's cohort under several matching strategies and compares coverage,
compatibility, predicted success (with a 95 % bootstrap interval), intergenerational and
cross-company reach, mentor load, blocking pairs and fairness. Each run is stored in the
database (table simulation_runs) with its seed, parameters and code version. Programs above
25,000,000 mentor × mentee pairs run in the sparse mode (each mentee's and each mentor's 32
best pairs; quotas not priced; docs/matching.md, "Any cohort size").

Options:
  --db PATH              database file (default: $BINOME_DB or data/binome.duckdb)
  --program ID           the program to simulate (required)
  --strategies LIST      comma-separated, among ${STRATEGIES.join(", ")} (default: ${SIMULATION_DEFAULTS.strategies.length === STRATEGIES.length ? "all" : SIMULATION_DEFAULTS.strategies.join(",")})
  --runs N               seeds of random and of stable (default ${SIMULATION_DEFAULTS.runs}, as on the page)
  --seed S               master seed, 0 … 4294967295 (default ${SIMULATION_DEFAULTS.seed})
  --weights FILE         compatibility weights JSON (default analytics/matching/default-weights.json)
  --train-programs LIST  programs whose labelled pairs train the outcome model (default: the
                         program itself; for a new cohort, every other program with labels)
  --bootstrap N          bootstrap refits of the outcome model (default ${SIMULATION_DEFAULTS.bootstrap}, as on the page)
  --format table|json    output on stdout (default table; json = the results alone)
  --workers N            worker threads for the seeded runs (default ${defaultWorkers()} from 16 runs on, else 0 = none)
  --out-pairs FILE       write the pairs proposed by --propose as a pairs.csv (export format)
  --propose STRATEGY     the strategy whose pairs --out-pairs writes (default optimal; random
                         and stable: their first seed)
  --matched-at DATE      matched_at of the proposed pairs (default: the program's start date)
  --quotas LIST          quotas to price for optimal and learned, e.g.
                         cross_generation=0.9,cross_company=50%,organization_coverage=0.8,generation_coverage=0.8
                         (exact integer program up to 20,000 allowed pairs; infeasible quotas say why)
  --no-store             do not store the run
  --replay RUN_ID        run a stored run again with its parameters, seed and weights, and
                         say whether the results are identical (exit 1 when they differ)
  -h, --help             this help

Exit codes: 0 done, 1 invalid input (unknown program, bad weights file), 2 usage, 3 database locked.
`;

function positiveInt(name: string, text: string | undefined, fallback: number, min = 0): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(value) || value < min) throw new UsageError(`invalid --${name}: ${JSON.stringify(text)} (an integer ≥ ${min})`);
  return value;
}

async function main(): Promise<number> {
  const parsed = parseCommandLine(HELP, {
    db: { type: "string" },
    program: { type: "string" },
    strategies: { type: "string" },
    runs: { type: "string" },
    seed: { type: "string" },
    weights: { type: "string" },
    "train-programs": { type: "string" },
    bootstrap: { type: "string" },
    format: { type: "string" },
    workers: { type: "string" },
    "out-pairs": { type: "string" },
    propose: { type: "string" },
    "matched-at": { type: "string" },
    "no-store": { type: "boolean" },
    quotas: { type: "string" },
    replay: { type: "string" },
  });
  if (!parsed) return EXIT.ok;
  const { values } = parsed;
  if (values.replay !== undefined) return replay(values.db ?? defaultDbPath(), positiveInt("replay", values.replay, 0, 1), values.workers);
  if (!values.program) throw new UsageError("--program is required");
  const strategies = [...new Set((values.strategies ?? SIMULATION_DEFAULTS.strategies.join(",")).split(",").map((s) => s.trim()).filter(Boolean))];
  for (const s of strategies) if (!(STRATEGIES as readonly string[]).includes(s)) throw new UsageError(`unknown strategy: ${JSON.stringify(s)} (one of ${STRATEGIES.join(", ")})`);
  if (strategies.length === 0) throw new UsageError("--strategies is empty");
  const format = values.format ?? "table";
  if (format !== "table" && format !== "json") throw new UsageError(`invalid --format: ${JSON.stringify(format)} (table or json)`);
  const runs = positiveInt("runs", values.runs, SIMULATION_DEFAULTS.runs, 1);
  const bootstrap = positiveInt("bootstrap", values.bootstrap, SIMULATION_DEFAULTS.bootstrap, 10);
  const workers = values.workers === undefined ? undefined : positiveInt("workers", values.workers, 0);
  let seed: number;
  try {
    seed = checkSeed(values.seed === undefined ? SIMULATION_DEFAULTS.seed : Number(values.seed));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const propose = (values.propose ?? "optimal") as StrategyName;
  if (values["out-pairs"]) {
    if (!(STRATEGIES as readonly string[]).includes(propose) || propose === "recorded") throw new UsageError(`invalid --propose: ${JSON.stringify(propose)} (a strategy other than recorded)`);
    if (!strategies.includes(propose)) strategies.push(propose);
  }
  let quotas;
  try {
    quotas = values.quotas === undefined ? undefined : parseQuotas(values.quotas);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values["matched-at"] !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values["matched-at"])) throw new UsageError(`invalid --matched-at: ${JSON.stringify(values["matched-at"])} (YYYY-MM-DD)`);

  let weights;
  try {
    weights = values.weights ? loadWeightsFile(values.weights) : defaultWeights();
  } catch (error) {
    if (error instanceof WeightsError) {
      process.stderr.write(`simulate: ${error.message}\n`);
      return EXIT.invalidInput;
    }
    throw error;
  }

  const db = await openAppDatabase(values.db ?? defaultDbPath());
  try {
    const progress = process.stderr.isTTY ? progressBar() : undefined;
    let sim;
    try {
      sim = await simulateProgram(db, values.program, {
        strategies: strategies as StrategyName[],
        runs,
        seed,
        weights,
        workers,
        bootstrap,
        quotas,
        trainPrograms: values["train-programs"]?.split(",").map((s) => s.trim()).filter(Boolean),
        store: !values["no-store"],
        onProgress: progress?.update,
      });
    } catch (error) {
      if (error instanceof UnknownProgramError) {
        process.stderr.write(`simulate: ${error.message}\n`);
        return EXIT.invalidInput;
      } else throw error;
    } finally {
      progress?.done();
    }
    for (const warning of sim.result.warnings) process.stderr.write(`simulate: warning: ${warning}\n`);
    if (values["out-pairs"]) {
      const matching = sim.matching(propose);
      const csv = proposalCsv(sim.program.programId, sim.enc, sim.scoreOf, matching, {
        matchedAt: values["matched-at"] ?? sim.program.startDate,
      });
      writeFileSync(values["out-pairs"], csv);
      process.stderr.write(`simulate: wrote ${matching.mentee.length} ${propose} pairs to ${values["out-pairs"]}\n`);
    }
    if (format === "json") {
      const json = { run_id: sim.runId, code_version: codeVersion(), elapsed_ms: Math.round(sim.elapsedMs), timings_ms: sim.timings, ...sim.result };
      process.stdout.write(JSON.stringify(json, null, 2) + "\n");
    } else {
      const r = sim.result;
      process.stdout.write(
        `${r.program.name} (${r.program.program_id}, ${r.program.kind}): ${r.program.mentors} mentors, ${r.program.mentees} mentees, ` +
          `${r.program.recorded_pairs} recorded pairs${r.program.is_new_cohort ? " — a new cohort" : ""}.\n` +
          `Seed ${seed}, ${runs} runs of random/stable, ${(sim.elapsedMs / 1000).toFixed(2)} s` +
          `${sim.runId !== null ? `, stored as run ${sim.runId}` : ""}.\n\n` +
          `${modelText(r.model)}\n${validationText(r)}\n${sparseText(r)}\n${comparisonTable(r)}\n${quotaText(r)}`,
      );
    }
    return EXIT.ok;
  } finally {
    db.close();
  }
}

/** Re-runs a stored run from its parameters and compares the results. */
async function replay(dbPath: string, runId: number, workersText: string | undefined): Promise<number> {
  const db = await openAppDatabase(dbPath);
  try {
    const stored = await getRun(db, runId);
    if (!stored) {
      process.stderr.write(`simulate: no stored run ${runId}\n`);
      return EXIT.invalidInput;
    }
    const p = stored.results.parameters;
    const sim = await simulateProgram(db, stored.program_id, {
      strategies: p.strategies as StrategyName[],
      runs: p.runs,
      seed: p.seed,
      bootstrap: p.bootstrap,
      folds: p.folds,
      weights: parseWeights(p.weights, `run ${runId}'s weights`),
      quotas: p.quotas,
      trainPrograms: stored.results.model.trained_on,
      workers: workersText === undefined ? undefined : positiveInt("workers", workersText, 0),
      store: false,
      onProgress: process.stderr.isTTY ? progressBar().update : undefined,
    });
    const same = JSON.stringify(sim.result) === JSON.stringify(stored.results);
    const version = codeVersion();
    process.stdout.write(
      `Run ${runId} (${stored.program_id}, seed ${stored.seed}, code ${stored.code_version}) re-run with code ${version}: ` +
        `${same ? "identical results" : "the results differ (the data or the code changed since)"}.\n`,
    );
    return same ? EXIT.ok : EXIT.invalidInput;
  } finally {
    db.close();
  }
}

function progressBar() {
  let last = 0;
  return {
    update(done: number, total: number, label: string) {
      const now = Date.now();
      if (done < total && now - last < 80) return;
      last = now;
      const width = 30;
      const filled = Math.round((done / Math.max(1, total)) * width);
      process.stderr.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${label.padEnd(14)}`);
    },
    done() {
      process.stderr.write("\r\x1b[K");
    },
  };
}

await runCli("simulate", main);
