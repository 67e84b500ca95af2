import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export const CHROMIUM = process.env.BINOME_CHROMIUM || "/usr/bin/chromium";

/**
 * Browser tests are part of `npm test` and are never skipped silently. Debian's chromium is
 * what they drive (Playwright's own browser download cannot reach its host here). When it is
 * missing and we are root (CI, a fresh machine), install it; otherwise stop at once and name
 * the command that fixes it.
 */
export default function setup() {
  if (existsSync(CHROMIUM)) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const command = "apt-get update && apt-get install -y chromium";
  if (!isRoot) {
    throw new Error(`The browser tests need Debian's chromium at ${CHROMIUM}. Install it with: sudo sh -c '${command}'`);
  }
  process.stderr.write(`chromium is missing: running \`${command}\` (about a minute) …\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = spawnSync("apt-get", ["update", "-qq"], { stdio: ["ignore", "ignore", "inherit"], env });
  if (update.status !== 0) throw new Error(`\`apt-get update\` failed; install chromium by hand: ${command}`);
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
  });
  if (!existsSync(CHROMIUM)) throw new Error(`chromium was installed but ${CHROMIUM} is still missing`);
}
