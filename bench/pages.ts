/**
 * `npx tsx bench/pages.ts [--scale 200000] [--workforce 2000000] [--requests 40] [--load-seconds 20] [--fresh] [--skip-build]`
 *
 * Server time per dashboard page: starts the production build (server/start.ts) on a database
 * holding `large-demo`, then on one holding a `scale-demo` of --scale participants, signs in as
 * an admin over HTTP and requests each page sequentially (after one warm-up request, which
 * also builds the materialized marts), measuring the time to the full response body on
 * localhost. The first request of a page is its cold time (first view after start: page data
 * and charts not cached yet); the others give the warm p50/p95. Then autocannon loads the
 * overview (20 connections for --load-seconds, signed in, loopback only): req/s, p50/p99
 * latency, errors (connection errors, timeouts and non-2xx answers). Each HTML page's
 * JavaScript is the sum of the gzipped /assets/*.js it references (module preloads and
 * module scripts: the route's chunks from the build manifest). Prints cold and warm figures
 * separately and writes bench/results/pages.json (with a `summary` string). Goals (issue 6):
 * p95 ≤ 100 ms per page at 200,000 participants; zero errors under load; ≤ 250 kB of gzipped
 * JavaScript per page.
 *
 * The Impact page (issue 13) computes the impact figures on its first view (cold: the SQL over
 * the workforce and the estimator), then serves them from the per-data-version cache (warm);
 * scale-demo gets a --workforce-person workforce for it (2,000,000 by default; 0 for none).
 *
 * Databases are generated with seeds/ and imported with the real ingestion, cached under the
 * OS temp folder between runs (--fresh rebuilds them).
 */
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, mkdirSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { createUser } from "../analytics/auth/users.server.ts";
import { applySchema, openDatabase } from "../analytics/db/database.server.ts";
import { loadSql } from "../analytics/db/sql-files.server.ts";
import { formatProblem, ingestExport } from "../analytics/ingest/index.server.ts";
import { DEFAULT_SEED, generateDemo } from "../seeds/generate.ts";
import { generateProgram } from "../seeds/generate-program.ts";
import { LARGE_DEMO, scaleDemo } from "../seeds/programs.ts";
import { startServer } from "../test/support/server-process.ts";

const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "200000" },
    workforce: { type: "string", default: "2000000" },
    requests: { type: "string", default: "40" },
    "load-seconds": { type: "string", default: "20" },
    fresh: { type: "boolean", default: false },
    "skip-build": { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  process.stdout.write("Usage: npx tsx bench/pages.ts [--scale 200000] [--workforce 2000000] [--requests 40] [--load-seconds 20] [--fresh] [--skip-build]\n");
  process.exit(0);
}
const scale = Number(values.scale);
const requests = Number(values.requests);
/** scale-demo's workforce (issue 13: 2,000,000 people at 200,000 participants, for the Impact page); 0 for none. */
const workforceSize = Number(values.workforce);
if (!Number.isInteger(workforceSize) || (workforceSize !== 0 && workforceSize <= scale)) throw new Error(`invalid --workforce: ${values.workforce} (0, or more than --scale)`);
if (!Number.isInteger(scale) || scale < 100) throw new Error(`invalid --scale: ${values.scale}`);
if (!Number.isInteger(requests) || requests < 5) throw new Error(`invalid --requests: ${values.requests} (≥ 5)`);
const loadSeconds = Number(values["load-seconds"]);
if (!Number.isInteger(loadSeconds) || loadSeconds < 1) throw new Error(`invalid --load-seconds: ${values["load-seconds"]}`);
const LOAD_CONNECTIONS = 20;

interface AutocannonResult {
  errors: number;
  timeouts: number;
  non2xx: number;
  latency: { p50: number; p99: number; max: number };
  requests: { average: number; total: number };
}
const autocannon = createRequire(import.meta.url)("autocannon") as (options: Record<string, unknown>) => Promise<AutocannonResult>;

const cacheDir = join(tmpdir(), "binome-bench-pages");
mkdirSync(cacheDir, { recursive: true });
const ADMIN = { username: "bench-admin", password: "bench-admin-password" };

/** A database file holding one generated program and an admin account (cached). */
async function buildDatabase(programId: "large-demo" | "scale-demo"): Promise<string> {
  const size = programId === "scale-demo" ? `${scale}${workforceSize ? `-wf${workforceSize}` : ""}` : "demo";
  const dbPath = join(cacheDir, `${programId}-${size}-${DEFAULT_SEED}.duckdb`);
  if (existsSync(dbPath) && !values.fresh) return dbPath;
  rmSync(dbPath, { force: true });
  rmSync(`${dbPath}.wal`, { force: true });
  const outDir = join(cacheDir, `export-${programId}`);
  rmSync(outDir, { recursive: true, force: true });
  let t = performance.now();
  // scale-demo with a workforce shaped like large-demo's (seeds/workforce.ts), as bench/metrics.
  const generated =
    programId === "scale-demo" && workforceSize
      ? { folders: [generateProgram({ ...scaleDemo(scale), workforce: { ...LARGE_DEMO.workforce!, perParticipant: (workforceSize - scale) / scale } }, DEFAULT_SEED, join(outDir, programId))] }
      : await generateDemo({ outDir, programs: [programId], ...(programId === "scale-demo" ? { scale } : {}) });
  process.stdout.write(`  generated ${programId} in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  const db = await openDatabase(dbPath);
  try {
    await applySchema(db);
    t = performance.now();
    const result = await ingestExport(db, [generated.folders[0].dir]);
    if (result.outcome !== "imported") throw new Error(`${programId}: ${result.outcome}\n${result.problems.map(formatProblem).join("\n")}`);
    process.stdout.write(`  imported ${programId} in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
    await createUser(db, { username: ADMIN.username, role: "admin", password: ADMIN.password });
    await db.run(loadSql("db/checkpoint"));
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

interface LoadResult {
  path: string;
  connections: number;
  duration_s: number;
  requests: number;
  requests_per_s: number;
  latency_p50_ms: number;
  latency_p99_ms: number;
  latency_max_ms: number;
  /** Connection errors + timeouts + non-2xx answers. */
  errors: number;
  non_2xx: number;
  timeouts: number;
}

/** autocannon on one page, signed in, over the loopback address the server listens on. */
async function loadTest(url: string, path: string, cookie: string): Promise<LoadResult> {
  const result = await autocannon({
    url: `${url.replace("//localhost:", "//127.0.0.1:")}${path}`,
    connections: LOAD_CONNECTIONS,
    duration: loadSeconds,
    headers: { cookie },
  });
  const errors = result.errors + result.timeouts + result.non2xx;
  return {
    path,
    connections: LOAD_CONNECTIONS,
    duration_s: loadSeconds,
    requests: result.requests.total,
    requests_per_s: round(result.requests.average),
    latency_p50_ms: round(result.latency.p50),
    latency_p99_ms: round(result.latency.p99),
    latency_max_ms: round(result.latency.max),
    errors,
    non_2xx: result.non2xx,
    timeouts: result.timeouts,
  };
}

async function benchProgram(programId: string, dbPath: string): Promise<{ participants_hint: string; pages: PageTiming[]; load: LoadResult }> {
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
      `${base}/impact`,
      `/api/programs/${programId}/report.json`,
      `/api/programs/${programId}/pairs.arrow`,
      `${base}/attention`,
      `${base}/attention?category=needs_check_in&sort=matched&dir=asc`,
      `${base}/attention.csv`,
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
      process.stdout.write(`  ${String(status).padEnd(4)} ${path.padEnd(48)} cold ${timing.first_ms.toFixed(0).padStart(6)} ms  warm p50 ${timing.p50_ms.toFixed(1).padStart(7)} ms  p95 ${timing.p95_ms.toFixed(1).padStart(7)} ms  ${(bytes / 1024).toFixed(0)} kB${js_gzip_kb === null ? "" : `  JS ${js_gzip_kb} kB gz`}\n`);
    }
    const load = await loadTest(server.url, base, cookie);
    process.stdout.write(
      `  autocannon ${base}: ${load.connections} connections, ${load.duration_s} s: ${load.requests_per_s} req/s, p50 ${load.latency_p50_ms} ms, p99 ${load.latency_p99_ms} ms, max ${load.latency_max_ms} ms, ${load.errors} errors (${load.requests} requests)\n`,
    );
    return { participants_hint: programId === "scale-demo" ? String(scale) : "2000", pages, load };
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
const results: Record<string, { participants: string; pages: PageTiming[]; load: LoadResult }> = {};
for (const programId of ["large-demo", "scale-demo"] as const) {
  process.stdout.write(`${programId}${programId === "scale-demo" ? ` (${scale} participants)` : ""}:\n`);
  const dbPath = await buildDatabase(programId);
  const { participants_hint, pages, load } = await benchProgram(programId, dbPath);
  results[programId] = { participants: participants_hint, pages, load };
}

const ok = (pages: PageTiming[]) => pages.filter((p) => p.status === 200);
const worst = (pages: PageTiming[]) => ok(pages).reduce((w, p) => (p.p95_ms > w.p95_ms ? p : w), ok(pages)[0]);
const scaleWorst = worst(results["scale-demo"].pages);
const largeWorst = worst(results["large-demo"].pages);
const short = (path: string) => path.replace(/^\/programs\/[^/]+/, "").replace(/^\/api\/programs\/[^/]+/, "api") || "overview";
const coldList = (pages: PageTiming[]) => ok(pages).map((p) => `${short(p.path)} ${Math.round(p.first_ms)}`).join(", ");
const warmList = (pages: PageTiming[]) => ok(pages).map((p) => `${short(p.path)} ${p.p50_ms}/${p.p95_ms}`).join(", ");
const loadText = (l: LoadResult) =>
  `${l.requests_per_s} req/s, latency p50 ${l.latency_p50_ms} ms, p99 ${l.latency_p99_ms} ms, ${l.errors} errors in ${l.requests} requests`;
const scalePages = results["scale-demo"].pages;
const summary =
  `Sequential requests, ${requests} per page after one cold (first) request, admin, production build on localhost. ` +
  `WARM p50/p95 ms — large-demo: ${warmList(results["large-demo"].pages)}; scale-demo ${scale} participants: ${warmList(scalePages)}. ` +
  `Worst warm p95: large-demo ${largeWorst.p95_ms} ms (${largeWorst.path}), scale-demo ${scaleWorst.p95_ms} ms (${scaleWorst.path}); ` +
  `${ok(scalePages).filter((p) => p.p95_ms <= 100).length}/${ok(scalePages).length} pages within the 100 ms p95 goal at scale. ` +
  `COLD (first view after start, page cache empty) ms — large-demo: ${coldList(results["large-demo"].pages)}; scale-demo: ${coldList(scalePages)}. ` +
  `autocannon overview (${LOAD_CONNECTIONS} connections, ${loadSeconds} s, signed in, loopback) — large-demo: ${loadText(results["large-demo"].load)}; ` +
  `scale-demo: ${loadText(results["scale-demo"].load)}. ` +
  `JavaScript per page (gzip): at most ${Math.max(...ok(results["large-demo"].pages).map((p) => p.js_gzip_kb ?? 0))} kB (goal ≤ 250 kB). ` +
  `Load average at the end: ${loadavg()[0].toFixed(2)} (2 cores shared with other sessions).`;
process.stdout.write(`\n${summary}\n`);
mkdirSync("bench/results", { recursive: true });
writeFileSync(
  "bench/results/pages.json",
  JSON.stringify({ benchmark: "pages", date: new Date().toISOString(), scale, requests_per_page: requests, load: { connections: LOAD_CONNECTIONS, duration_s: loadSeconds }, summary, results }, null, 2) + "\n",
);
