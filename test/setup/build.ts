import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

/** Builds the Remix app once per test run: the server tests start the production build. */
export default function setup() {
  execFileSync(process.execPath, [resolve("node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
  });
}
