/**
 * bench/ingest: ingesting a `--scale N` export (N participants, ~5 meetings each) with
 * `ingestExport` — byte checks, checksums, staging, every validation, one transaction — against
 * DuckDB's own `read_csv` of the same files into plain tables (types sniffed, nothing checked).
 * Prints both times and their ratio (goal: ≤ 2×) and writes bench/results/ingest.json.
 *
 *   tsx bench/ingest.ts [--scale 200000] [--dir EXPORT_FOLDER] [--seed N] [--repeat 5]
 *
 * The two are run alternately `--repeat` times; the median of each (wall time and CPU time) is
 * reported — the machine is shared, and a median is steadier than one lucky run — with every
 * run, and the best of each, in the JSON.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { applySchema, wrapConnection } from "../analytics/db/database.server.ts";
import { databaseSql } from "../analytics/db/generated-sql.server.ts";
import { loadSql } from "../analytics/db/sql-files.server.ts";
import { formatProblem, ingestExport } from "../analytics/ingest/index.server.ts";
import { TABLES } from "../analytics/ingest/spec.ts";
import { generateDemo } from "../seeds/generate.ts";

const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "200000" },
    dir: { type: "string" },
    seed: { type: "string" },
    repeat: { type: "string", default: "5" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  process.stdout.write("Usage: tsx bench/ingest.ts [--scale 200000] [--dir EXPORT_FOLDER] [--seed N] [--repeat 5]\n");
  process.exit(0);
}
const scale = Number(values.scale);
const repeat = Math.max(1, Number(values.repeat));

async function exportFolder(): Promise<string> {
  if (values.dir) return resolve(values.dir);
  const base = resolve(".cache/bench-ingest", `scale-${scale}${values.seed ? `-seed-${values.seed}` : ""}`);
  const done = join(base, ".complete");
  if (!existsSync(done)) {
    rmSync(base, { recursive: true, force: true });
    const started = performance.now();
    const generated = await generateDemo({ outDir: base, scale, seed: values.seed ? Number(values.seed) : undefined });
    process.stdout.write(`generated ${generated.folders[0].dir} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    writeFileSync(done, generated.folders[0].dir);
  }
  return readFileSync(done, "utf8");
}

async function fileDb(dir: string, name: string) {
  const instance = await DuckDBInstance.create(join(dir, name));
  const connection = await instance.connect();
  return {
    db: wrapConnection(join(dir, name), connection),
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

const folder = await exportFolder();
const files = readdirSync(folder).filter((f) => TABLES.some((t) => f === `${t}.csv`));
const bytes = files.reduce((sum, f) => sum + statSync(join(folder, f)).size, 0);
const work = mkdtempSync(join(tmpdir(), "binome-bench-ingest-"));
// Warm the page cache so that neither side pays the first read from disk.
for (const f of files) readFileSync(join(folder, f));

const rawCheckpoints: number[] = [];
const rawCpu: number[] = [];
/** CPU time (user + system, all threads) of this process since `start`: steadier than wall time on a shared machine. */
const cpuSeconds = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};

/** (b) DuckDB's own read of the same files into plain tables (types sniffed, nothing checked). */
async function rawRead(): Promise<number> {
  const raw = await fileDb(work, "raw.duckdb");
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const f of files) {
    // Table names are our own constants (the TABLES the file names matched).
    await raw.db.run(databaseSql.tableFromCsv(f.replace(/\.csv$/, "")), { path: join(folder, f) });
  }
  const checkpointStart = performance.now();
  await raw.db.run(loadSql("db/checkpoint"));
  rawCheckpoints.push((performance.now() - checkpointStart) / 1000);
  const seconds = (performance.now() - started) / 1000;
  rawCpu.push(cpuSeconds(cpu));
  raw.close();
  rmSync(join(work, "raw.duckdb"), { force: true });
  return seconds;
}

/** (a) ingestExport into a fresh database with the schema, checkpointed like (b). */
async function ingest() {
  const app = await fileDb(work, "binome.duckdb");
  await applySchema(app.db);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const phases: Record<string, number> = {};
  let phase = "";
  let phaseStart = started;
  const result = await ingestExport(app.db, [folder], {
    onProgress: (step) => {
      if (step.phase === phase) return;
      const now = performance.now();
      if (phase) phases[phase] = (now - phaseStart) / 1000;
      phase = step.phase;
      phaseStart = now;
    },
  });
  phases[phase] = (performance.now() - phaseStart) / 1000;
  const checkpointStart = performance.now();
  await app.db.run(loadSql("db/checkpoint"));
  phases.checkpoint = (performance.now() - checkpointStart) / 1000;
  const seconds = (performance.now() - started) / 1000;
  const cpuTime = cpuSeconds(cpu);
  app.close();
  rmSync(join(work, "binome.duckdb"), { force: true });
  return { seconds, cpuTime, phases, result };
}

// Alternate the two, several times: on a shared machine the median of each is the fairest figure.
const runs: { raw_seconds: number; raw_cpu_seconds: number; raw_checkpoint_seconds: number; ingest_seconds: number; ingest_cpu_seconds: number; ingest_phases_seconds: Record<string, number> }[] = [];
const ingests: Awaited<ReturnType<typeof ingest>>[] = [];
let failed: Awaited<ReturnType<typeof ingest>> | null = null;
for (let i = 0; i < repeat; i++) {
  const rawSeconds = await rawRead();
  const run = await ingest();
  if (run.result.outcome !== "imported") {
    failed = run;
    break;
  }
  ingests.push(run);
  runs.push({
    raw_seconds: rawSeconds,
    raw_cpu_seconds: rawCpu[i],
    raw_checkpoint_seconds: rawCheckpoints[i],
    ingest_seconds: run.seconds,
    ingest_cpu_seconds: run.cpuTime,
    ingest_phases_seconds: run.phases,
  });
  process.stdout.write(`run ${i + 1}: read_csv ${rawSeconds.toFixed(2)} s (checkpoint ${rawCheckpoints[i].toFixed(2)} s), ingest ${run.seconds.toFixed(2)} s (${(run.seconds / rawSeconds).toFixed(2)}×); CPU ${rawCpu[i].toFixed(2)} s vs ${run.cpuTime.toFixed(2)} s (${(run.cpuTime / rawCpu[i]).toFixed(2)}×)\n`);
}
rmSync(work, { recursive: true, force: true });
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
// The phases shown are those of the run whose ingest time is the median (the lower one for an even count).
const medianRun = failed ?? [...ingests].sort((a, b) => a.seconds - b.seconds)[Math.floor((ingests.length - 1) / 2)];
const result = medianRun.result;
const phases = medianRun.phases;
const rawSeconds = median(runs.map((r) => r.raw_seconds));
const ingestSeconds = median(runs.map((r) => r.ingest_seconds));
const rawCpuSeconds = median(runs.map((r) => r.raw_cpu_seconds));
const ingestCpuSeconds = median(runs.map((r) => r.ingest_cpu_seconds));
const cpuRatio = ingestCpuSeconds / rawCpuSeconds;
const best = {
  raw_seconds: Math.min(...runs.map((r) => r.raw_seconds)),
  ingest_seconds: Math.min(...runs.map((r) => r.ingest_seconds)),
  raw_cpu_seconds: Math.min(...runs.map((r) => r.raw_cpu_seconds)),
  ingest_cpu_seconds: Math.min(...runs.map((r) => r.ingest_cpu_seconds)),
};

if (result.outcome !== "imported") {
  process.stderr.write(`ingest did not import (${result.outcome}):\n${result.problems.slice(0, 20).map(formatProblem).join("\n")}\n`);
  process.exit(1);
}
const ratio = ingestSeconds / rawSeconds;
const rows = Object.fromEntries(Object.entries(result.rowCounts).map(([t, c]) => [t, c.after]));
const summary = `ingest ${ingestSeconds.toFixed(2)} s vs read_csv ${rawSeconds.toFixed(2)} s: ${ratio.toFixed(2)}× (goal ≤ 2×; CPU ${cpuRatio.toFixed(2)}×), ${rows.meetings} meetings; medians of ${runs.length} alternating runs`;
process.stdout.write(
  `export: ${folder} (${(bytes / 2 ** 20).toFixed(1)} MiB, ${files.length} files)\n` +
    `rows: ${Object.entries(rows).map(([t, n]) => `${t} ${n}`).join(", ")}\n` +
    `DuckDB read_csv into plain tables (median of ${runs.length}): ${rawSeconds.toFixed(2)} s, CPU ${rawCpuSeconds.toFixed(2)} s\n` +
    `ingestExport (checks, validation, transaction; median of ${runs.length}): ${ingestSeconds.toFixed(2)} s, CPU ${ingestCpuSeconds.toFixed(2)} s ` +
    `(${Object.entries(phases).map(([p, t]) => `${p} ${t.toFixed(2)} s`).join(", ")})\n` +
    `ratio (medians): ${ratio.toFixed(2)}× (goal ≤ 2×); CPU-time ratio ${cpuRatio.toFixed(2)}×\n`,
);
mkdirSync(resolve("bench/results"), { recursive: true });
writeFileSync(
  resolve("bench/results/ingest.json"),
  JSON.stringify(
    { scale, folder, bytes, rows, statistic: "median", raw_read_csv_seconds: rawSeconds, ingest_seconds: ingestSeconds, raw_cpu_seconds: rawCpuSeconds, ingest_cpu_seconds: ingestCpuSeconds, ingest_phases_seconds: phases, ratio, cpu_ratio: cpuRatio, goal_ratio: 2, best, runs, summary },
    null,
    2,
  ) + "\n",
);
