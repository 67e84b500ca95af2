import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const BUILD_OUTPUT = resolve("build/server/index.js");
// What the Remix build is made from: a change to any of these makes the build stale.
const SOURCES = ["app", "analytics", "public", "vite.config.ts", "package-lock.json"];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * Builds the Remix app once per test run when the build is missing or older than its sources:
 * the server and browser tests start the production build. `BINOME_SKIP_BUILD=1` skips it for
 * focused runs that start no server.
 */
export default function setup() {
  if (process.env.BINOME_SKIP_BUILD === "1") return;
  if (existsSync(BUILD_OUTPUT)) {
    const built = statSync(BUILD_OUTPUT).mtimeMs;
    if (SOURCES.every((source) => !existsSync(source) || newestMtime(resolve(source)) < built)) return;
  }
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
  // vite.config.ts leaves the Remix plugin out under vitest; the build must not look like vitest.
  for (const key of Object.keys(env)) if (key.startsWith("VITEST")) delete env[key];
  execFileSync(process.execPath, [resolve("node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
  });
}
