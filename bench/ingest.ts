/**
 * bench/ingest: ingesting a `--scale N` export (N participants, ~5 meetings each) with
 * `ingestExport` — byte checks, checksums, staging, every validation, one transaction — against
 * DuckDB's own `read_csv` of the same files into plain tables (types sniffed, nothing checked).
 * Prints both times and their ratio (goal: ≤ 2×) and writes bench/results/ingest.json.
 *
 *   tsx bench/ingest.ts [--scale 200000] [--dir EXPORT_FOLDER] [--seed N]
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { applySchema, wrapConnection } from "../analytics/db/database.server.ts";
import { formatProblem, ingestExport } from "../analytics/ingest/index.server.ts";
import { TABLES } from "../analytics/ingest/spec.ts";
import { generateDemo } from "../seeds/generate.ts";

const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "200000" },
    dir: { type: "string" },
    seed: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  process.stdout.write("Usage: tsx bench/ingest.ts [--scale 200000] [--dir EXPORT_FOLDER] [--seed N]\n");
  process.exit(0);
}
const scale = Number(values.scale);

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

// (b) DuckDB's own read of the same files into plain tables.
const raw = await fileDb(work, "raw.duckdb");
let started = performance.now();
for (const f of files) {
  await raw.db.run(`create table ${f.replace(/\.csv$/, "")} as select * from read_csv($path)`, { path: join(folder, f) });
}
await raw.db.run("checkpoint");
const rawSeconds = (performance.now() - started) / 1000;
raw.close();

// (a) ingestExport into a fresh database with the schema.
const app = await fileDb(work, "binome.duckdb");
await applySchema(app.db);
started = performance.now();
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
await app.db.run("checkpoint");
const ingestSeconds = (performance.now() - started) / 1000;
app.close();
rmSync(work, { recursive: true, force: true });

if (result.outcome !== "imported") {
  process.stderr.write(`ingest did not import (${result.outcome}):\n${result.problems.slice(0, 20).map(formatProblem).join("\n")}\n`);
  process.exit(1);
}
const ratio = ingestSeconds / rawSeconds;
const rows = Object.fromEntries(Object.entries(result.rowCounts).map(([t, c]) => [t, c.after]));
const summary = `ingest ${ingestSeconds.toFixed(2)} s vs read_csv ${rawSeconds.toFixed(2)} s: ${ratio.toFixed(2)}× (goal ≤ 2×), ${rows.meetings} meetings`;
process.stdout.write(
  `export: ${folder} (${(bytes / 2 ** 20).toFixed(1)} MiB, ${files.length} files)\n` +
    `rows: ${Object.entries(rows).map(([t, n]) => `${t} ${n}`).join(", ")}\n` +
    `DuckDB read_csv into plain tables: ${rawSeconds.toFixed(2)} s\n` +
    `ingestExport (checks, validation, transaction): ${ingestSeconds.toFixed(2)} s ` +
    `(${Object.entries(phases).map(([p, t]) => `${p} ${t.toFixed(2)} s`).join(", ")})\n` +
    `ratio: ${ratio.toFixed(2)}× (goal ≤ 2×)\n`,
);
mkdirSync(resolve("bench/results"), { recursive: true });
writeFileSync(
  resolve("bench/results/ingest.json"),
  JSON.stringify({ scale, folder, bytes, rows, raw_read_csv_seconds: rawSeconds, ingest_seconds: ingestSeconds, ingest_phases_seconds: phases, ratio, goal_ratio: 2, summary }, null, 2) + "\n",
);
