/**
 * bench/ingest-mapped: the mapped import (issue #17) against the native import of the same data.
 * A `--scale N` demo export (N participants, ~5 meetings each) is written in the flat French
 * "one row per pair" layout as CSV files (seeds/flat-layout.ts) and imported through the flat-fr
 * preset with `importExport` (read the user's files, apply the mapping, write the export, then
 * the same `ingestExport`), against `importExport` of the native folder. Goal: ≤ 1.3×. The same
 * comparison with an Excel workbook, at `--xlsx-scale` participants (a sheet holds at most
 * 1,048,576 rows, and SheetJS reads a workbook whole in memory), is printed beside it.
 * Writes bench/results/ingest-mapped.json.
 *
 *   tsx bench/ingest-mapped.ts [--scale 200000] [--xlsx-scale 20000] [--seed N] [--repeat 3]
 *
 * The runs alternate (native, mapped) `--repeat` times; medians of wall and CPU time are reported.
 * CSV files are mapped in DuckDB (analytics/ingest/mapping/duckdb.server.ts); with `--javascript`
 * each run also imports them through applyMapping (the path a workbook, or any file with a
 * problem, takes), for its ratio in the same run.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { applySchema, wrapConnection } from "../analytics/db/database.server.ts";
import { loadSql } from "../analytics/db/sql-files.server.ts";
import { formatProblem } from "../analytics/ingest/index.server.ts";
import { loadMapping } from "../analytics/ingest/mapping/load.ts";
import { importExport } from "../analytics/ops/import.server.ts";
import { writeFlatLayout, type LayoutFormat } from "../seeds/flat-layout.ts";
import { generateDemo } from "../seeds/generate.ts";

const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "200000" },
    "xlsx-scale": { type: "string", default: "20000" },
    seed: { type: "string" },
    repeat: { type: "string", default: "3" },
    javascript: { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  process.stdout.write("Usage: tsx bench/ingest-mapped.ts [--scale 200000] [--xlsx-scale 20000] [--seed N] [--repeat 3] [--javascript]\n");
  process.exit(0);
}
const repeat = Math.max(1, Number(values.repeat));
const loaded = loadMapping("flat-fr");
if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
const mapping = { mapping: loaded.mapping, name: loaded.name };

/** The native folder and its flat layout, generated once into .cache/ (like bench/ingest.ts). */
async function folders(scale: number, format: LayoutFormat): Promise<{ native: string; flat: string }> {
  const base = resolve(".cache/bench-ingest", `scale-${scale}${values.seed ? `-seed-${values.seed}` : ""}`);
  const done = join(base, ".complete");
  if (!existsSync(done)) {
    rmSync(base, { recursive: true, force: true });
    const started = performance.now();
    const generated = await generateDemo({ outDir: base, scale, seed: values.seed ? Number(values.seed) : undefined });
    process.stdout.write(`generated ${generated.folders[0].dir} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    writeFileSync(done, generated.folders[0].dir);
  }
  const native = readFileSync(done, "utf8");
  const flat = join(base, `flat-fr-${format}`);
  if (!existsSync(join(flat, ".complete"))) {
    rmSync(flat, { recursive: true, force: true });
    mkdirSync(flat, { recursive: true });
    const started = performance.now();
    writeFlatLayout(native, flat, "flat-fr", format, "scale-demo");
    writeFileSync(join(flat, ".complete"), "");
    process.stdout.write(`wrote the flat-fr ${format} layout in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  return { native, flat };
}

const cpuSeconds = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};

/** One import into a fresh database file with the schema, checkpointed. */
async function timedImport(work: string, paths: string[], mapped: boolean, inDuckDb = true) {
  const path = join(work, "binome.duckdb");
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  const db = wrapConnection(path, connection);
  await applySchema(db);
  for (const dir of paths) for (const f of readdirSync(dir)) if (!f.startsWith(".")) readFileSync(join(dir, f)); // warm the page cache
  const cpu = process.cpuUsage();
  const started = performance.now();
  const { result } = await importExport(db, paths, mapped ? { mapping, inDuckDb } : {});
  await db.run(loadSql("db/checkpoint"));
  const seconds = (performance.now() - started) / 1000;
  const cpuTime = cpuSeconds(cpu);
  connection.closeSync();
  instance.closeSync();
  rmSync(path, { force: true });
  if (result.outcome !== "imported") {
    process.stderr.write(`${mapped ? "mapped" : "native"} import did not import (${result.outcome}):\n${result.problems.slice(0, 20).map(formatProblem).join("\n")}\n`);
    process.exit(1);
  }
  return { seconds, cpuTime, rows: Object.fromEntries(Object.entries(result.rowCounts).map(([t, c]) => [t, c.after])) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function compare(scale: number, format: LayoutFormat) {
  const { native, flat } = await folders(scale, format);
  const work = mkdtempSync(join(tmpdir(), "binome-bench-mapped-"));
  const runs: { native_seconds: number; mapped_seconds: number; native_cpu_seconds: number; mapped_cpu_seconds: number; javascript_seconds?: number; javascript_cpu_seconds?: number }[] = [];
  let rows: Record<string, number> = {};
  for (let i = 0; i < repeat; i++) {
    const a = await timedImport(work, [native], false);
    const b = await timedImport(work, [flat], true);
    if (JSON.stringify(a.rows) !== JSON.stringify(b.rows)) throw new Error(`the mapped import gave other rows: ${JSON.stringify(b.rows)} vs ${JSON.stringify(a.rows)}`);
    rows = a.rows;
    const js = values.javascript && format === "csv" ? await timedImport(work, [flat], true, false) : null;
    if (js && JSON.stringify(js.rows) !== JSON.stringify(a.rows)) throw new Error(`the mapped import through applyMapping gave other rows: ${JSON.stringify(js.rows)}`);
    runs.push({
      native_seconds: a.seconds,
      mapped_seconds: b.seconds,
      native_cpu_seconds: a.cpuTime,
      mapped_cpu_seconds: b.cpuTime,
      ...(js ? { javascript_seconds: js.seconds, javascript_cpu_seconds: js.cpuTime } : {}),
    });
    const jsText = js ? `; through applyMapping ${js.seconds.toFixed(2)} s (${(js.seconds / a.seconds).toFixed(2)}×), CPU ${js.cpuTime.toFixed(2)} s` : "";
    process.stdout.write(`${format} scale ${scale} run ${i + 1}: native ${a.seconds.toFixed(2)} s, mapped ${b.seconds.toFixed(2)} s (${(b.seconds / a.seconds).toFixed(2)}×); CPU ${a.cpuTime.toFixed(2)} s vs ${b.cpuTime.toFixed(2)} s${jsText}\n`);
  }
  rmSync(work, { recursive: true, force: true });
  const nativeSeconds = median(runs.map((r) => r.native_seconds));
  const mappedSeconds = median(runs.map((r) => r.mapped_seconds));
  const cpuRatio = median(runs.map((r) => r.mapped_cpu_seconds)) / median(runs.map((r) => r.native_cpu_seconds));
  const jsRuns = runs.filter((r) => r.javascript_seconds !== undefined);
  const javascript = jsRuns.length
    ? { seconds: median(jsRuns.map((r) => r.javascript_seconds!)), ratio: median(jsRuns.map((r) => r.javascript_seconds!)) / nativeSeconds, cpu_ratio: median(jsRuns.map((r) => r.javascript_cpu_seconds!)) / median(runs.map((r) => r.native_cpu_seconds)) }
    : null;
  return { scale, format, rows, native_seconds: nativeSeconds, mapped_seconds: mappedSeconds, ratio: mappedSeconds / nativeSeconds, cpu_ratio: cpuRatio, javascript, runs };
}

const scale = Number(values.scale);
const xlsxScale = Number(values["xlsx-scale"]);
const csv = await compare(scale, "csv");
const xlsx = xlsxScale > 0 ? await compare(xlsxScale, "xlsx") : null;
const summary =
  `mapped flat-fr CSV import ${csv.mapped_seconds.toFixed(2)} s vs native ${csv.native_seconds.toFixed(2)} s at ${scale} participants: ${csv.ratio.toFixed(2)}× (goal ≤ 1.3×; CPU ${csv.cpu_ratio.toFixed(2)}×)` +
  (csv.javascript ? `; through applyMapping ${csv.javascript.ratio.toFixed(2)}× (CPU ${csv.javascript.cpu_ratio.toFixed(2)}×)` : "") +
  (xlsx ? `; xlsx ${xlsx.ratio.toFixed(2)}× at ${xlsxScale} participants (${xlsx.mapped_seconds.toFixed(2)} s vs ${xlsx.native_seconds.toFixed(2)} s)` : "") +
  `; medians of ${repeat} alternating runs`;
process.stdout.write(`${summary}\n`);
mkdirSync(resolve("bench/results"), { recursive: true });
writeFileSync(resolve("bench/results/ingest-mapped.json"), JSON.stringify({ statistic: "median", goal_ratio: 1.3, csv, xlsx, summary }, null, 2) + "\n");
