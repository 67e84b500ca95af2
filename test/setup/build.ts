import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

/** Builds the Remix app once per test run: the server tests start the production build. */
export default function setup() {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
  // vite.config.ts leaves the Remix plugin out under vitest; the build must not look like vitest.
  for (const key of Object.keys(env)) if (key.startsWith("VITEST")) delete env[key];
  execFileSync(process.execPath, [resolve("node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
  });
}
