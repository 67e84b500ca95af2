/**
 * `npm run bench`: runs every benchmark script in bench/ one after another (each prints the
 * comparison it names and writes bench/results/<name>.json), then gathers the results into
 * bench/results/latest.json and a short Markdown summary, bench/results/latest.md.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { only: { type: "string" }, help: { type: "boolean", short: "h" } },
});
if (values.help) {
  process.stdout.write(`Usage: npm run bench -- [--only name,name]

Runs every benchmark in bench/ (${listBenchmarks().join(", ")}) and writes
bench/results/latest.json and bench/results/latest.md.
`);
  process.exit(0);
}

function listBenchmarks(): string[] {
  return readdirSync(resolve("bench"))
    .filter((f) => f.endsWith(".ts") && f !== "run-all.ts" && !f.startsWith("_"))
    .map((f) => basename(f, ".ts"))
    .sort();
}

const selected = values.only ? values.only.split(",").map((s) => s.trim()) : listBenchmarks();
const resultsDir = resolve("bench/results");
mkdirSync(resultsDir, { recursive: true });

const machine = {
  cpus: cpus().length,
  cpu_model: cpus()[0]?.model ?? "unknown",
  memory_gb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  date: new Date().toISOString(),
};
const runs: Record<string, { exit_code: number | null; seconds: number; result: unknown }> = {};
for (const name of selected) {
  process.stdout.write(`\n=== bench/${name}.ts ===\n`);
  const started = Date.now();
  const run = spawnSync(process.execPath, [resolve("node_modules/tsx/dist/cli.mjs"), join("bench", `${name}.ts`)], {
    stdio: "inherit",
    env: { ...process.env, TZ: "UTC" },
  });
  const resultFile = join(resultsDir, `${name}.json`);
  runs[name] = {
    exit_code: run.status,
    seconds: (Date.now() - started) / 1000,
    result: existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, "utf8")) : null,
  };
}
writeFileSync(join(resultsDir, "latest.json"), JSON.stringify({ machine, runs }, null, 2) + "\n");
const lines = [
  `# Benchmarks — ${machine.date.slice(0, 10)}`,
  "",
  `Machine: ${machine.cpus} × ${machine.cpu_model}, ${machine.memory_gb} GB, Node ${machine.node}.`,
  "",
  "| benchmark | exit | seconds | summary |",
  "| --- | --- | --- | --- |",
  ...Object.entries(runs).map(([name, r]) => {
    const summary = r.result && typeof r.result === "object" && "summary" in r.result ? String((r.result as { summary: unknown }).summary) : "";
    return `| ${name} | ${r.exit_code} | ${r.seconds.toFixed(1)} | ${summary} |`;
  }),
  "",
];
writeFileSync(join(resultsDir, "latest.md"), lines.join("\n"));
process.stdout.write(`\n${lines.join("\n")}\nWritten: bench/results/latest.json, bench/results/latest.md\n`);
process.exit(Object.values(runs).every((r) => r.exit_code === 0) ? 0 : 1);
