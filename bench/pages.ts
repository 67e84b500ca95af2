/**
 * `npx tsx bench/pages.ts [--scale 200000] [--requests 40] [--fresh] [--skip-build]`
 *
 * Server time per dashboard page: starts the production build (server/start.ts) on a database
 * holding `large-demo`, then on one holding a `scale-demo` of --scale participants, signs in as
 * an admin over HTTP and requests each page sequentially (after one warm-up request, which
 * also builds the materialized marts), measuring the time to the full response body on
 * localhost. Prints p50/p95 per page and writes bench/results/pages.json. Goal (issue 6):
 * p95 ≤ 100 ms per page at 200,000 participants.
 *
 * Databases are generated with seeds/ and imported with the real ingestion, cached under the
 * OS temp folder between runs (--fresh rebuilds them).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { createUser } from "../analytics/auth/users.server.ts";
import { applySchema, openDatabase } from "../analytics/db/database.server.ts";
import { formatProblem, ingestExport } from "../analytics/ingest/index.server.ts";
import { DEFAULT_SEED, generateDemo } from "../seeds/generate.ts";
import { startServer } from "../test/support/server-process.ts";

const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "200000" },
    requests: { type: "string", default: "40" },
    fresh: { type: "boolean", default: false },
    "skip-build": { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  process.stdout.write("Usage: npx tsx bench/pages.ts [--scale 200000] [--requests 40] [--fresh] [--skip-build]\n");
  process.exit(0);
}
const scale = Number(values.scale);
const requests = Number(values.requests);
if (!Number.isInteger(scale) || scale < 100) throw new Error(`invalid --scale: ${values.scale}`);
if (!Number.isInteger(requests) || requests < 5) throw new Error(`invalid --requests: ${values.requests} (≥ 5)`);

const cacheDir = join(tmpdir(), "binome-bench-pages");
mkdirSync(cacheDir, { recursive: true });
const ADMIN = { username: "bench-admin", password: "bench-admin-password" };

/** A database file holding one generated program and an admin account (cached). */
async function buildDatabase(programId: "large-demo" | "scale-demo"): Promise<string> {
  const dbPath = join(cacheDir, `${programId}-${programId === "scale-demo" ? scale : "demo"}-${DEFAULT_SEED}.duckdb`);
  if (existsSync(dbPath) && !values.fresh) return dbPath;
  rmSync(dbPath, { force: true });
  rmSync(`${dbPath}.wal`, { force: true });
  const outDir = join(cacheDir, `export-${programId}`);
  rmSync(outDir, { recursive: true, force: true });
  let t = performance.now();
  const generated = await generateDemo({ outDir, programs: [programId], ...(programId === "scale-demo" ? { scale } : {}) });
  process.stdout.write(`  generated ${programId} in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  const db = await openDatabase(dbPath);
  try {
    await applySchema(db);
    t = performance.now();
    const result = await ingestExport(db, [generated.folders[0].dir]);
    if (result.outcome !== "imported") throw new Error(`${programId}: ${result.outcome}\n${result.problems.map(formatProblem).join("\n")}`);
    process.stdout.write(`  imported ${programId} in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
    await createUser(db, { username: ADMIN.username, role: "admin", password: ADMIN.password });
    await db.run("checkpoint");
  } finally {
    db.close();
  }
  rmSync(outDir, { recursive: true, force: true });
  return dbPath;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i];
}

interface PageTiming {
  path: string;
  status: number;
  bytes: number;
  /** HTML pages: the JavaScript the page loads (module preloads and imports), gzipped. */
  js_gzip_kb: number | null;
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
  first_ms: number;
}

async function benchProgram(programId: string, dbPath: string): Promise<{ participants_hint: string; pages: PageTiming[] }> {
  // The server writes to its database (sessions): run it on a copy so the cache stays clean.
  const runPath = join(cacheDir, `run-${programId}.duckdb`);
  rmSync(runPath, { force: true });
  rmSync(`${runPath}.wal`, { force: true });
  copyFileSync(dbPath, runPath);
  const server = await startServer({ BINOME_DB: runPath, BINOME_DEMO: "0" });
  try {
    const login = await fetch(`${server.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: server.origin, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: ADMIN.username, password: ADMIN.password }),
    });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
    if (!cookie.includes("=")) throw new Error(`sign-in failed (${login.status})`);
    const base = `/programs/${programId}`;
    const paths = [
      "/",
      base,
      `${base}/quality`,
      `${base}/quality?generation=gen_x&role=mentee`,
      `${base}/topics`,
      `${base}/generations`,
      `${base}/costs`,
      `${base}/print`,
      `/api/programs/${programId}/report.json`,
      `/api/programs/${programId}/pairs.arrow`,
    ];
    const pages: PageTiming[] = [];
    for (const path of paths) {
      const times: number[] = [];
      let status = 0;
      let bytes = 0;
      for (let i = 0; i <= requests; i++) {
        const t = performance.now();
        const response = await fetch(`${server.url}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
        const body = new Uint8Array(await response.arrayBuffer());
        times.push(performance.now() - t);
        status = response.status;
        bytes = body.byteLength;
      }
      const [first, ...rest] = times;
      const js_gzip_kb = await pageJavaScript(server.url, path, cookie);
      const timing = { path, status, bytes, js_gzip_kb, p50_ms: round(percentile(rest, 50)), p95_ms: round(percentile(rest, 95)), max_ms: round(Math.max(...rest)), first_ms: round(first) };
      pages.push(timing);
      process.stdout.write(`  ${String(status).padEnd(4)} ${path.padEnd(48)} p50 ${timing.p50_ms.toFixed(1).padStart(7)} ms  p95 ${timing.p95_ms.toFixed(1).padStart(7)} ms  first ${timing.first_ms.toFixed(0).padStart(6)} ms  ${(bytes / 1024).toFixed(0)} kB${js_gzip_kb === null ? "" : `  JS ${js_gzip_kb} kB gz`}\n`);
    }
    return { participants_hint: programId === "scale-demo" ? String(scale) : "2000", pages };
  } finally {
    await server.stop();
    rmSync(runPath, { force: true });
    rmSync(`${runPath}.wal`, { force: true });
  }
}

const round = (x: number) => Math.round(x * 10) / 10;

/** Sum of the gzipped sizes of the /assets/*.js files an HTML page references (null for non-HTML). */
async function pageJavaScript(base: string, path: string, cookie: string): Promise<number | null> {
  const response = await fetch(`${base}${path}`, { headers: { Cookie: cookie } });
  if (!(response.headers.get("content-type") ?? "").startsWith("text/html")) return null;
  const html = await response.text();
  const urls = new Set([...html.matchAll(/\/assets\/[A-Za-z0-9._-]+\.js/g)].map((m) => m[0]));
  let total = 0;
  for (const url of urls) total += gzipSync(new Uint8Array(await (await fetch(`${base}${url}`)).arrayBuffer())).byteLength;
  return round(total / 1024);
}

if (!values["skip-build"]) {
  process.stdout.write("Building the app…\n");
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
  for (const key of Object.keys(env)) if (key.startsWith("VITEST")) delete env[key];
  execFileSync(process.execPath, [resolve("node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], { stdio: ["ignore", "ignore", "inherit"], env });
}
const results: Record<string, { participants: string; pages: PageTiming[] }> = {};
for (const programId of ["large-demo", "scale-demo"] as const) {
  process.stdout.write(`${programId}${programId === "scale-demo" ? ` (${scale} participants)` : ""}:\n`);
  const dbPath = await buildDatabase(programId);
  const { participants_hint, pages } = await benchProgram(programId, dbPath);
  results[programId] = { participants: participants_hint, pages };
}

const ok = (pages: PageTiming[]) => pages.filter((p) => p.status === 200);
const worst = (pages: PageTiming[]) => ok(pages).reduce((w, p) => (p.p95_ms > w.p95_ms ? p : w), ok(pages)[0]);
const scaleWorst = worst(results["scale-demo"].pages);
const largeWorst = worst(results["large-demo"].pages);
const summary =
  `Sequential requests, ${requests} per page after one warm-up, admin, production build on localhost. ` +
  `large-demo: worst p95 ${largeWorst.p95_ms} ms (${largeWorst.path}). ` +
  `scale-demo ${scale} participants: worst p95 ${scaleWorst.p95_ms} ms (${scaleWorst.path}); ` +
  `${ok(results["scale-demo"].pages).filter((p) => p.p95_ms <= 100).length}/${ok(results["scale-demo"].pages).length} pages within the 100 ms p95 goal. ` +
  `JavaScript per page (gzip): at most ${Math.max(...ok(results["large-demo"].pages).map((p) => p.js_gzip_kb ?? 0))} kB (goal ≤ 250 kB). ` +
  `First (cold) request at scale: overview ${results["scale-demo"].pages.find((p) => p.path === "/programs/scale-demo")?.first_ms} ms, ` +
  `quality ${results["scale-demo"].pages.find((p) => p.path === "/programs/scale-demo/quality")?.first_ms} ms (page data is cached until the data changes). ` +
  `Load average at the end: ${loadavg()[0].toFixed(2)} (2 cores shared with other sessions).`;
process.stdout.write(`\n${summary}\n`);
mkdirSync("bench/results", { recursive: true });
writeFileSync(
  "bench/results/pages.json",
  JSON.stringify({ benchmark: "pages", date: new Date().toISOString(), scale, requests_per_page: requests, summary, results }, null, 2) + "\n",
);
