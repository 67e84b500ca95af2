import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "./server-process.ts";

// What `npm install && npm start` promises: on an empty database file the server generates and
// imports the demo programs, prints its URL, and the home page lists them.
describe("npm start on a fresh database", () => {
  let dir: string;
  let server: RunningServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "binome-start-"));
    server = await startServer({ BINOME_DB: join(dir, "binome.duckdb"), BINOME_DEMO: "1" });
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints the URL and lists the demo programs with their size", async () => {
    expect(server.output()).toMatch(/is running at http:\/\/localhost:\d+\//);
    const response = await fetch(`${server.url}/`, { redirect: "manual" });
    // Once sign-in exists the home page asks for it; the demo programs are then checked
    // through the signed-in tests. Until then the page itself lists them.
    if (response.status === 200) {
      const html = await response.text();
      expect(html).toContain('data-program-id="octave-demo"');
      expect(html).toContain('data-program-id="large-demo"');
    } else {
      expect(response.status).toBe(302);
    }
  });

  it("refuses to start a second server on the same database file, with exit code 3", () => {
    const second = spawnSync(process.execPath, [resolve("node_modules/tsx/dist/cli.mjs"), "server/start.ts"], {
      env: { ...process.env, BINOME_DB: join(dir, "binome.duckdb"), PORT: "0", NODE_ENV: "production" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(second.status).toBe(3);
    expect(second.stderr).toMatch(/is in use by another process \(PID \d+\)/);
  });
});
