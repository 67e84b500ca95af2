import type { ServerBuild } from "@remix-run/node";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "../../analytics/config.server.ts";
import type { Db } from "../../analytics/db/database.server.ts";
import { createApp } from "../../server/app.ts";
import { startServer } from "../support/server-process.ts";
import { fixtureDb, insertUser, ORG_A, PASSWORD, rawRequest } from "./helpers.ts";

// Issue 12, item 8: a newcomer who opens http://127.0.0.1:PORT (not the default
// http://localhost:PORT) can sign in, with no configuration at all: BINOME_ORIGIN unset, the
// app built from the default configuration, as `npm start` does.
let db: Db;
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  port = (server.address() as AddressInfo).port;
  delete process.env.BINOME_ORIGIN;
  process.env.PORT = String(port);
  db = await fixtureDb();
  await insertUser(db, "newcomer", "hr", ORG_A);
  (globalThis as { __binomeDb?: Promise<Db> }).__binomeDb = Promise.resolve(db);
  const build = (await import(pathToFileURL(resolve("build/server/index.js")).href)) as ServerBuild;
  server.on("request", createApp({ build }));
});

afterAll(async () => {
  await new Promise((done) => server?.close(done));
  delete (globalThis as { __binomeDb?: Promise<Db> }).__binomeDb;
  db?.close();
});

/** node:http, to choose the Host header (the name the browser's address bar shows). */
function send(method: "GET" | "POST", path: string, headers: Record<string, string>, body = "") {
  return rawRequest(port, method, path, headers, body);
}

describe("no configuration: every loopback name of the port works", () => {
  it("the default configuration accepts localhost, 127.0.0.1 and [::1] on the port; BINOME_ORIGIN narrows it to one", () => {
    expect(getConfig().origin).toBe(`http://localhost:${port}`);
    expect(getConfig().allowedOrigins).toEqual([`http://localhost:${port}`, `http://127.0.0.1:${port}`, `http://[::1]:${port}`]);
    const pinned = getConfig({ NODE_ENV: "production", PORT: "3000", BINOME_ORIGIN: "https://binome.example.org/" });
    expect(pinned.allowedOrigins).toEqual(["https://binome.example.org"]);
  });

  for (const host of ["127.0.0.1", "localhost", "[::1]"]) {
    it(`signs in at http://${host}:PORT`, async () => {
      const origin = `http://${host}:${port}`;
      const form = await send("GET", "/login", { Host: `${host}:${port}` });
      expect(form.status).toBe(200);
      expect(form.text).toContain('name="password"');
      const body = new URLSearchParams({ username: "newcomer", password: PASSWORD, redirectTo: "/" }).toString();
      const formHeaders = { Host: `${host}:${port}`, Origin: origin, "Content-Type": "application/x-www-form-urlencoded" };
      // The browser's form posts through single fetch (/login.data); without JavaScript, to /login.
      for (const path of ["/login.data", "/login"]) {
        const signedIn = await send("POST", path, formHeaders, body);
        expect(signedIn.status, `${origin}${path}: ${signedIn.text.slice(0, 200)}`).toBeLessThan(400);
        const cookie = String(signedIn.headers["set-cookie"] ?? "").split(";")[0];
        expect(cookie).toMatch(/^binome_session=[a-z2-7]+\.[a-z2-7]+$/);
        const home = await send("GET", "/", { Host: `${host}:${port}`, Cookie: cookie });
        expect(home.status).toBe(200);
        expect(home.text).toContain("Signed in as");
      }
    });
  }

  it("another origin, or a loopback name on another port, is still refused", async () => {
    const body = new URLSearchParams({ username: "newcomer", password: PASSWORD }).toString();
    for (const origin of ["http://evil.example", `http://127.0.0.1:${port + 1}`, `https://localhost:${port}`, "http://127.0.0.2"]) {
      const response = await send("POST", "/login", { Host: `127.0.0.1:${port}`, Origin: origin, "Content-Type": "application/x-www-form-urlencoded" }, body);
      expect(response.status, origin).toBe(403);
      expect(response.headers["set-cookie"]).toBeUndefined();
    }
  });
});

describe("a started server with no configuration (what `npm start` runs)", () => {
  it("signs the first admin in at http://127.0.0.1:PORT", async () => {
    const dir = mkdtempSync(join(tmpdir(), "binome-loopback-"));
    const env: Record<string, string> = { BINOME_DB: join(dir, "binome.duckdb"), BINOME_DEMO: "0" };
    const running = await startServer(env);
    try {
      expect(running.output()).toMatch(/is running at http:\/\/localhost:\d+\//);
      const password = /shown only this once\):\s*\n\s*(\S+)/.exec(running.output())?.[1];
      expect(password, running.output()).toBeTruthy();
      const base = running.url.replace("//localhost:", "//127.0.0.1:");
      expect((await fetch(`${base}/login`)).status).toBe(200);
      const login = await fetch(`${base}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
        body: new URLSearchParams({ username: "admin", password: password!, redirectTo: "/" }),
      });
      expect(login.status, await login.clone().text()).toBe(302);
      const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
      const home = await fetch(`${base}/`, { headers: { Cookie: cookie } });
      expect(home.status).toBe(200);
      expect(await home.text()).toContain("Signed in as");
    } finally {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
