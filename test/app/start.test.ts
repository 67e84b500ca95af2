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
});
