/**
 * `npx tsx bench/privacy.ts [--program large-demo|octave-demo]`
 *
 * Times the intruder audit (analytics/audit/audit.server.ts) of a demo program for each
 * protected audience and each organization, as CPU time, and as a ratio to rendering every
 * view it enumerates once (the same run measures both: the audit renders each view through the
 * real page and report functions, then solves). The three protected audiences of one
 * organization are served the same views: each organization is audited once (run.server.ts). Goal: under 2 minutes per program. The demo
 * export is generated with seeds/ and imported with the real ingestion into an in-memory
 * database first (not timed). Prints a table; writes bench/results/privacy.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { applySchema, openDatabase } from "../analytics/db/database.server.ts";
import { formatProblem, ingestExport } from "../analytics/ingest/index.server.ts";
import { runPrivacyAudit } from "../analytics/audit/run.server.ts";
import { generateDemo } from "../seeds/generate.ts";

const { values } = parseArgs({ options: { program: { type: "string", default: "large-demo" }, help: { type: "boolean", short: "h" } } });
if (values.help) {
  process.stdout.write("Usage: npx tsx bench/privacy.ts [--program large-demo|octave-demo]\n");
  process.exit(0);
}
const program = values.program!;
const GOAL_MS = 120_000;

const dir = mkdtempSync(join(tmpdir(), "binome-bench-privacy-"));
try {
  const { folders } = await generateDemo({ outDir: dir, programs: [program] });
  const db = await openDatabase(":memory:");
  await applySchema(db);
  const ingest = await ingestExport(db, [folders[0].dir]);
  if (ingest.outcome !== "imported") throw new Error(`${program} import: ${ingest.outcome}\n${ingest.problems.map(formatProblem).join("\n")}`);
  const load = loadavg()[0];
  const started = performance.now();
  const run = await runPrivacyAudit(db, program);
  const wallMs = performance.now() - started;
  db.close();

  const rows = run.results.map((r) => ({
    audience: r.audience,
    org: r.orgId,
    views: r.views,
    figures: r.facts,
    sensitive_cells: r.hiddenCells,
    findings: r.findings.length,
    cpu_ms: Math.round(r.cpuMs),
    views_cpu_ms: Math.round(r.viewsCpuMs),
    ratio: r.sharedWith ? `same views as ${r.sharedWith}` : Math.round((r.cpuMs / Math.max(1, r.viewsCpuMs)) * 10) / 10,
  }));
  const lines = [
    `| audience | organization | views | figures | sensitive cells | findings | audit CPU ms | rendering the views once, CPU ms | ratio |`,
    `| --- | --- | --- | --- | --- | --- | --- | --- | --- |`,
    ...rows.map((r) => `| ${r.audience} | ${r.org} | ${r.views} | ${r.figures} | ${r.sensitive_cells} | ${r.findings} | ${r.cpu_ms} | ${r.views_cpu_ms} | ${r.ratio} |`),
  ];
  const summary = `privacy audit of ${program}: ${Math.round(run.cpuMs)} ms CPU in all (${Math.round(wallMs)} ms wall, load ${load.toFixed(2)}), ${(run.cpuMs / Math.max(1, run.viewsCpuMs)).toFixed(1)}× rendering every view once; ${run.findings.length} finding(s); goal < ${GOAL_MS / 1000} s: ${run.cpuMs < GOAL_MS ? "met" : "missed"}`;
  process.stdout.write(`${lines.join("\n")}\n\n${summary}\n`);
  mkdirSync(resolve("bench/results"), { recursive: true });
  writeFileSync(resolve("bench/results/privacy.json"), JSON.stringify({ program, loadavg_1m_before: load, wall_ms: wallMs, cpu_ms: run.cpuMs, views_cpu_ms: run.viewsCpuMs, findings: run.findings.length, rows, summary }, null, 2) + "\n");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
