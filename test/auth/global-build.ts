import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

/**
 * Builds the Remix app once per run for the HTTP-level tests (test/auth/http.test.ts).
 * VITEST must not reach the build: vite.config.ts leaves the Remix plugin out when it is set,
 * and `remix vite:build` then fails with "Remix Vite plugin not found".
 */
export default function setup() {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
  delete env.VITEST;
  delete env.VITEST_MODE;
  delete env.VITEST_POOL_ID;
  delete env.VITEST_WORKER_ID;
  execFileSync(process.execPath, [resolve("node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
  });
}
