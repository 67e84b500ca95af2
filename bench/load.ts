/**
 * `npx tsx bench/load.ts [--duration 60] [--connections 50] [--soak SECONDS] [--fresh]`
 *
 * Load: starts the production server (server/start.ts, node directly so that its own RSS is
 * measured) on a database holding the demo programs (octave-demo, large-demo) and an admin,
 * signs in over HTTP, and runs autocannon against the main pages — home, the program overview
 * and the report JSON of each demo program, in turn on every connection — for --duration
 * seconds with --connections connections. Zero errors and zero non-2xx answers are expected;
 * p50/p99 latency and throughput are reported, and the same concurrency against /healthz
 * (one tiny query) for the ratio page p99 ÷ healthz p99 in the same run. With --soak SECONDS, a second run of that length
 * samples the server's RSS every second: growth between the mean of its first and second
 * halves must stay under 10 %. Loopback only. Writes bench/results/load.json.
 * Builds the app first when the build is missing or stale, and the database once (cached in
 * the temp folder; --fresh rebuilds it).
 * Exit code 1 when errors, non-2xx answers or the RSS growth exceed the limits.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createUser } from "../analytics/auth/users.server.ts";
import { applySchema } from "../analytics/db/database.server.ts";
import { formatProblem, ingestExport } from "../analytics/ingest/index.server.ts";
import { DEFAULT_SEED, generateDemo } from "../seeds/generate.ts";
import { withFileDb } from "../test/reliability/support/common.ts";
import { signIn, startBinome, type Server } from "../test/reliability/support/server.ts";
import buildAppIfStale from "../test/setup/build.ts";

const HELP = `Usage: npx tsx bench/load.ts [--duration 60] [--connections 50] [--soak SECONDS] [--fresh]

  --duration S      seconds of the main run (default 60)
  --connections N   concurrent connections (default 50)
  --soak S          then a soak run of S seconds sampling the server's RSS (default 0: none;
                    use 240 or more: RSS climbs to a plateau during the first ~2 minutes)
  --fresh           rebuild the cached demo database
`;

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "60" },
    connections: { type: "string", default: "50" },
    soak: { type: "string", default: "0" },
    fresh: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const duration = Number(values.duration);
const connections = Number(values.connections);
const soak = Number(values.soak);
if (!(duration >= 1) || !Number.isInteger(connections) || connections < 1 || !(soak >= 0)) {
  process.stderr.write(`load: invalid options\n${HELP}`);
  process.exit(2);
}

interface AutocannonResult {
  errors: number;
  timeouts: number;
  non2xx: number;
  "2xx": number;
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
  requests: { average: number; total: number; sent: number };
  throughput: { average: number };
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const PROGRAMS = ["octave-demo", "large-demo"];
const PATHS = ["/", ...PROGRAMS.flatMap((p) => [`/programs/${p}`, `/api/programs/${p}/report.json`])];
const ADMIN = { username: "load-admin", password: "load admin passphrase" };

/**
 * The demo database, built once and cached. Built under a temporary name and renamed when
 * complete, so an interrupted build is never reused; opened with its own DuckDB instance,
 * closed before the server starts (`openDatabase`'s per-process instance cache would keep the
 * file locked by this process, and the server refuse it).
 */
async function buildDatabase(): Promise<string> {
  const cache = join(tmpdir(), "binome-bench-load");
  mkdirSync(cache, { recursive: true });
  const dbPath = join(cache, `demo-${DEFAULT_SEED}.duckdb`);
  if (existsSync(dbPath) && !values.fresh) return dbPath; // a WAL next to it is the last server's writes
  const partial = join(cache, `demo-${DEFAULT_SEED}.building-${process.pid}.duckdb`);
  for (const path of [dbPath, partial]) for (const suffix of ["", ".wal"]) rmSync(`${path}${suffix}`, { force: true });
  process.stdout.write(`load: building the demo database ${dbPath}\n`);
  const { folders } = await generateDemo({ outDir: join(cache, "export"), programs: PROGRAMS });
  try {
    await withFileDb(partial, async (db) => {
      await applySchema(db);
      for (const folder of folders) {
        const result = await ingestExport(db, [folder.dir]);
        if (result.outcome !== "imported") throw new Error(`${folder.programId}: ${result.problems.slice(0, 5).map(formatProblem).join("\n")}`);
      }
      await createUser(db, { ...ADMIN, role: "admin", displayName: "Load" });
    });
    if (existsSync(`${partial}.wal`)) throw new Error(`${partial}: its write-ahead log is still there after closing it`);
    renameSync(partial, dbPath);
  } finally {
    for (const suffix of ["", ".wal"]) rmSync(`${partial}${suffix}`, { force: true });
  }
  return dbPath;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function run(server: Server, cookie: string, seconds: number, onTick?: () => void, paths: string[] = PATHS) {
  const url = new URL(server.url);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) throw new Error("load runs against loopback addresses only");
  const timer = onTick ? setInterval(onTick, 1000) : null;
  try {
    return await autocannon({
      url: server.url,
      connections,
      duration: seconds,
      timeout: 30,
      headers: { cookie, accept: "text/html,application/json" },
      requests: paths.map((path) => ({ method: "GET", path })),
    });
  } finally {
    if (timer) clearInterval(timer);
  }
}

const summaryOf = (r: AutocannonResult) =>
  `${r.requests.total} requests, ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms, ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`;

async function main(): Promise<number> {
  buildAppIfStale(); // the server starts the production build: a fresh clone has none yet
  const dbPath = await buildDatabase();
  const loadBefore = loadavg()[0]; // after the builds, before the server starts
  const dir = join(tmpdir(), `binome-bench-load-run-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const server = await startBinome({ BINOME_DB: dbPath, BINOME_UPLOAD_DIR: join(dir, "uploads") });
  try {
    const cookie = await signIn(server, ADMIN.username, ADMIN.password);
    // Every page once (the first visit prepares a program's figures), and a check that they answer.
    for (const path of PATHS) {
      const response = await fetch(`${server.url}${path}`, { headers: { cookie } });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}\n${server.output().slice(-3000)}`);
    }
    const pid = server.process.pid!;
    const rssBefore = rssMb(pid);
    process.stdout.write(`load: ${connections} connections for ${duration} s over ${PATHS.join(", ")}\n`);
    const main = await run(server, cookie, duration);
    const rssAfter = rssMb(pid);
    process.stdout.write(`  ${summaryOf(main)}\n  server RSS ${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} MB\n`);
    // The comparison in the same run: /healthz reads one row (the schema version), so its p99 at
    // the same concurrency is what the machine, Node and Remix cost; pages ÷ healthz is ours.
    const healthSeconds = Math.min(duration, 15);
    const health = await run(server, cookie, healthSeconds, undefined, ["/healthz"]);
    const p99Ratio = main.latency.p99 / Math.max(1, health.latency.p99);
    process.stdout.write(`  /healthz, ${connections} connections × ${healthSeconds} s: ${summaryOf(health)}\n  page p99 ÷ /healthz p99: ${p99Ratio.toFixed(1)}×\n`);

    let soakResult: { seconds: number; samples: number[]; first_half_mb: number; second_half_mb: number; growth: number; run: AutocannonResult } | null = null;
    if (soak > 0) {
      process.stdout.write(`soak: ${soak} s, RSS sampled every second\n`);
      const samples: number[] = [];
      const r = await run(server, cookie, soak, () => samples.push(rssMb(pid)));
      const half = Math.floor(samples.length / 2);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
      const first = mean(samples.slice(0, half));
      const second = mean(samples.slice(half));
      soakResult = { seconds: soak, samples: samples.map((s) => Math.round(s)), first_half_mb: first, second_half_mb: second, growth: (second - first) / first, run: r };
      process.stdout.write(`  ${summaryOf(r)}\n  RSS mean ${first.toFixed(0)} MB (first half) → ${second.toFixed(0)} MB (second half): ${(soakResult.growth * 100).toFixed(1)} %\n`);
    }

    const failures: string[] = [];
    for (const [name, r] of [["main", main], ["healthz", health], ["soak", soakResult?.run]] as const) {
      if (r && r.errors + r.timeouts + r.non2xx > 0) failures.push(`${name}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx (${JSON.stringify(r.statusCodeStats)})`);
    }
    if (soakResult && soakResult.growth >= 0.1) failures.push(`soak: RSS grew ${(soakResult.growth * 100).toFixed(1)} % (limit 10 %)`);
    const summary =
      `load ${connections} connections × ${duration} s: ${summaryOf(main)}; /healthz p99 ${health.latency.p99} ms (pages ÷ healthz ${p99Ratio.toFixed(1)}×)` +
      (soakResult ? `; soak ${soak} s: ${summaryOf(soakResult.run)}, RSS ${soakResult.first_half_mb.toFixed(0)} → ${soakResult.second_half_mb.toFixed(0)} MB (${(soakResult.growth * 100).toFixed(1)} %)` : "") +
      (failures.length ? ` — FAILED: ${failures.join("; ")}` : "");
    mkdirSync(resolve("bench/results"), { recursive: true });
    writeFileSync(
      resolve("bench/results/load.json"),
      JSON.stringify(
        {
          summary,
          ok: failures.length === 0,
          options: { duration, connections, soak, paths: PATHS },
          machine: { loadavg_1m_before: loadBefore, loadavg_1m_after: loadavg()[0] },
          main: { ...pick(main), rss_mb_before: Math.round(rssBefore), rss_mb_after: Math.round(rssAfter) },
          healthz: { seconds: healthSeconds, ...pick(health), p99_ratio: p99Ratio },
          soak: soakResult && { ...soakResult, run: pick(soakResult.run) },
        },
        null,
        2,
      ) + "\n",
    );
    process.stdout.write(`${summary}\nwrote bench/results/load.json\n`);
    return failures.length ? 1 : 0;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function pick(r: AutocannonResult) {
  return {
    requests: r.requests.total,
    requests_per_second: Math.round(r.requests.average),
    latency_ms: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, mean: r.latency.average },
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    status_codes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count])),
    throughput_bytes_per_second: Math.round(r.throughput.average),
  };
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`load: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
