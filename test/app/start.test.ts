import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startServer, type RunningServer } from "../support/server-process.ts";

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

  it("prints the URL and the demo accounts, and the home page lists the demo programs", async () => {
    expect(server.output()).toMatch(/is running at http:\/\/localhost:\d+\//);
    expect(server.output()).toContain("demo-admin");
    // Signed out, the home page sends the visitor to the login page.
    const anonymous = await fetch(`${server.url}/`, { redirect: "manual" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/login/);

    const login = await fetch(`${server.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: server.origin },
      body: new URLSearchParams({ username: "demo-admin", password: "binome-demo-admin", redirectTo: "/" }),
    });
    expect(login.status).toBe(302);
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    const home = await fetch(`${server.url}/`, { headers: { cookie } });
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('data-program-id="octave-demo"');
    expect(html).toContain('data-program-id="large-demo"');
  });

  it("refuses to start a second server on the same database file, with exit code 3", async () => {
    const second = spawnSync(process.execPath, [resolve("node_modules/tsx/dist/cli.mjs"), "server/start.ts"], {
      env: { ...process.env, BINOME_DB: join(dir, "binome.duckdb"), PORT: String(await freePort()), NODE_ENV: "production" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(second.status).toBe(3);
    expect(second.stderr).toMatch(/is in use by another process \(PID \d+\)/);
  });

  it("stops within seconds on SIGTERM, even while it prepares the programs' figures, and starts again on the same file", async () => {
    await server.stop();
    const dbPath = join(dir, "binome.duckdb");
    // Each start prepares every program's figures in the background: SIGTERM lands in the middle.
    for (let trial = 0; trial < 3; trial++) {
      const running = await startServer({ BINOME_DB: dbPath, BINOME_DEMO: "1" });
      const exited = new Promise<number | null>((done) => running.process.once("exit", (code) => done(code)));
      running.process.kill("SIGTERM");
      const outcome = await Promise.race([exited, new Promise<"hung">((done) => setTimeout(() => done("hung"), 20_000))]);
      if (outcome === "hung") running.process.kill("SIGKILL");
      expect(outcome, `trial ${trial}: ${running.output().slice(-1000)}`).toBe(0);
    }
    server = await startServer({ BINOME_DB: dbPath, BINOME_DEMO: "1" });
    expect(server.output()).not.toContain("Empty database");
    const login = await fetch(`${server.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: server.origin },
      body: new URLSearchParams({ username: "demo-admin", password: "binome-demo-admin", redirectTo: "/" }),
    });
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    const html = await (await fetch(`${server.url}/`, { headers: { cookie } })).text();
    expect(html, server.output().slice(-3000)).toContain('data-program-id="large-demo"');
  }, 180_000);
});
