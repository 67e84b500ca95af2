/**
 * `npm start` (production build) and `npm run dev` (Vite dev server): opens the database,
 * loads the demo programs into an empty one, and serves the app.
 */
import type { ServerBuild } from "@remix-run/node";
import { existsSync } from "node:fs";
import type { Server } from "node:http";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { getConfig } from "../analytics/config.server.ts";
import { closeAppDatabases, getAppDb } from "../analytics/db/app-db.server.ts";
import { bootstrapUsers } from "../analytics/auth/bootstrap.server.ts";
import { DatabaseLockedError, type Db } from "../analytics/db/database.server.ts";
import { loadSql } from "../analytics/db/sql-files.server.ts";
import { applyMetricViews } from "../analytics/metrics/schema.server.ts";
import { warmProgram } from "../analytics/metrics/warm.server.ts";
import { expireBatches } from "../analytics/ops/upload.server.ts";
import { SYSTEM_SCOPE, requestCompaction } from "../analytics/ops/compaction.server.ts";
import { rebuildNeededSince } from "../analytics/ops/erasure.server.ts";
import { createApp } from "./app.ts";
import { loadDemoIfEmpty } from "./demo.server.ts";
import { installProcessHandlers } from "./errors.ts";

const { values } = parseArgs({ options: { dev: { type: "boolean", default: false } } });
const log = (line: string) => process.stdout.write(`${line}\n`);

/** How often uploads past their 15 minutes are deleted (analytics/ops/upload.server.ts). */
const UPLOAD_SWEEP_MS = 60_000;
/** A stop that takes longer than this (a close that hangs) exits anyway. */
const STOP_DEADLINE_MS = 10_000;

let server: Server | undefined;
let stopping = false;

/**
 * Stops accepting connections, interrupts what is still running (warming a program's figures,
 * an import: its transaction rolls back and the history reads "interrupted"), closes both
 * connections, and exits with `code`: 0 on SIGINT/SIGTERM, 1 after a fatal error (decision 0011).
 */
function stop(code: number) {
  if (stopping) return;
  stopping = true;
  server?.close();
  setTimeout(() => process.exit(code), STOP_DEADLINE_MS).unref();
  void closeAppDatabases().then(
    (settled) => {
      if (!settled) process.stderr.write("binome: a query was still running at shutdown; stopped without waiting for it\n");
      process.exit(code);
    },
    () => process.exit(code),
  );
}

installProcessHandlers(stop);

function sweepUploads() {
  try {
    expireBatches();
  } catch (error) {
    process.stderr.write(`binome: could not delete expired uploads: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

async function main() {
  if (values.dev) process.env.NODE_ENV ??= "development";
  const config = getConfig();
  let db;
  try {
    db = await getAppDb();
  } catch (error) {
    if (error instanceof DatabaseLockedError) {
      process.stderr.write(`binome: ${error.message}\n`);
      process.exit(3);
    }
    throw error;
  }
  log(`Database: ${config.dbPath}`);
  if (config.demo) await loadDemoIfEmpty(db, log);
  else await bootstrapUsers(db, { demo: false, log });

  let app;
  if (values.dev) {
    const vite = await import("vite");
    const devServer = await vite.createServer({ server: { middlewareMode: true } });
    app = createApp({
      build: () => devServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>,
      devMiddleware: devServer.middlewares,
    });
  } else {
    const buildPath = resolve("build/server/index.js");
    if (!existsSync(buildPath)) {
      process.stderr.write("binome: no production build found: run `npm run build` first (npm start does it).\n");
      process.exit(2);
    }
    const build = (await import(buildPath)) as ServerBuild;
    app = createApp({ build, clientDir: resolve("build/client") });
  }
  await applyMetricViews(db);
  // Uploads left by a server stopped meanwhile, then every minute.
  sweepUploads();
  setInterval(sweepUploads, UPLOAD_SWEEP_MS).unref();
  server = app.listen(config.port, () => {
    log(`Binôme is running at ${config.origin}/ (port ${config.port}). Stop it with Ctrl+C.`);
    // An erasure made before the last stop may still need the file rebuilt (decision 0013);
    // then prepare each program's figures now rather than on its first visitor (seconds at 200k).
    void resumeRebuild(db).then(() => warmAllPrograms(db));
  });
  process.on("SIGINT", () => stop(0));
  process.on("SIGTERM", () => stop(0));
}

async function resumeRebuild(db: Db) {
  try {
    if (await rebuildNeededSince(db)) await requestCompaction(SYSTEM_SCOPE, log);
  } catch (error) {
    process.stderr.write(`binome: could not check for a pending rebuild: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

async function warmAllPrograms(db: Db) {
  const programs = await db.all<{ program_id: string }>(loadSql("ops/program_ids"));
  for (const { program_id } of programs) {
    // A stop interrupts the running query: starting the next one while the connection closes
    // left DuckDB's worker blocked and the process hung or aborted at exit.
    if (stopping) return;
    try {
      await warmProgram(db, program_id);
    } catch (error) {
      if (stopping) return;
      process.stderr.write(`binome: could not prepare the figures of ${program_id}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}

main().catch((error) => {
  process.stderr.write(`binome: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
