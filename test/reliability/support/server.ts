import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createUser } from "../../../analytics/auth/users.server.ts";
import { applySchema } from "../../../analytics/db/database.server.ts";
import { ingestExport } from "../../../analytics/ingest/index.server.ts";
import { freePort } from "../../support/server-process.ts";
import { ROOT, withFileDb } from "./common.ts";

/** Every server started by this process, killed when it exits (a timed-out test leaves none). */
const started = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

/** Kills (SIGKILL) every server this process started that is still running. */
export function killStartedServers(): void {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  started.clear();
}

export const ADMIN = { username: "reliability-admin", password: "reliability admin passphrase" };

/** A database file with the schema, these exports imported, and one administrator. */
export async function prepareDatabase(path: string, exports: string[]): Promise<void> {
  await withFileDb(path, async (db) => {
    await applySchema(db);
    for (const dir of exports) {
      const result = await ingestExport(db, [dir]);
      if (result.outcome !== "imported") throw new Error(`could not import ${dir}: ${result.outcome}`);
    }
    await createUser(db, { ...ADMIN, role: "admin", displayName: "Reliability" });
  });
}

export interface Server {
  url: string;
  origin: string;
  process: ChildProcess;
  output: () => string;
  /** SIGTERM, waits for the exit. */
  stop: () => Promise<void>;
  exited: Promise<{ code: number | null; signal: string | null }>;
}

/**
 * Starts the production server (`server/start.ts`, what `npm start` runs after the build) with
 * node directly (a SIGKILL must reach the server itself), on a free loopback port, without the
 * demo. `nodeArgs` may add `--import` instrumentation.
 */
export async function startBinome(env: Record<string, string>, nodeArgs: string[] = [], timeoutMs = 90_000): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", ...nodeArgs, "server/start.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), NODE_ENV: "production", BINOME_DEMO: "0", BINOME_ORIGIN: `http://127.0.0.1:${port}`, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.add(child);
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: string | null }>((done) =>
    child.on("exit", (code, signal) => {
      started.delete(child);
      done({ code, signal });
    }),
  );
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start in time:\n${output}`)), timeoutMs);
    child.stdout!.on("data", () => {
      if (/is running at/.test(output)) {
        clearTimeout(timer);
        done();
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    origin: env.BINOME_ORIGIN ?? url,
    process: child,
    output: () => output,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Signs in through the login form; returns the Cookie header value. */
export async function signIn(server: Server, username = ADMIN.username, password = ADMIN.password): Promise<string> {
  const response = await fetch(`${server.url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.origin },
    body: new URLSearchParams({ username, password, redirectTo: "/" }),
    signal: AbortSignal.timeout(60_000),
  });
  const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0];
  if (response.status !== 302 || !cookie) throw new Error(`sign-in failed: ${response.status}\n${server.output().slice(-2000)}`);
  return cookie;
}

/**
 * The web import as an administrator does it: upload the export's files (dry run), then
 * confirm. Returns the job id (the import runs in the background in the server).
 */
export async function startWebImport(server: Server, cookie: string, exportDir: string): Promise<string> {
  const form = new FormData();
  for (const name of readdirSync(exportDir).sort()) form.append("files", new Blob([readFileSync(join(exportDir, name))]), name);
  const upload = await fetch(`${server.url}/admin/imports`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, Origin: server.origin },
    body: form,
    signal: AbortSignal.timeout(60_000),
  });
  const html = await upload.text();
  const batchId = /name="batchId" value="([0-9a-f]{32})"/.exec(html)?.[1];
  if (upload.status !== 200 || !batchId) throw new Error(`upload refused (${upload.status}): ${html.slice(0, 500)}`);
  const confirm = await fetch(`${server.url}/admin/imports`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, Origin: server.origin, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ batchId, intent: "confirm" }),
    signal: AbortSignal.timeout(60_000),
  });
  const jobId = /[?&]job=([0-9a-f]+)/.exec(confirm.headers.get("location") ?? "")?.[1];
  if (!jobId) throw new Error(`confirm did not start a job (${confirm.status})`);
  return jobId;
}

/** The job's state as the import page polls it. */
export async function importJob(server: Server, cookie: string, jobId: string): Promise<{ state: string; phase: string; report: { outcome: string } | null; error: string | null }> {
  const response = await fetch(`${server.url}/api/admin/imports/${jobId}`, { headers: { Cookie: cookie, Accept: "application/json" }, signal: AbortSignal.timeout(30_000) });
  return response.json();
}
