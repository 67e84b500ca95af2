import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { requireApiProgram, requireApiUser, requireProgram } from "../../analytics/auth/request.server.ts";
import type { Db } from "../../analytics/db/database.server.ts";
import { createApp } from "../../server/app.ts";
import { rejectCrossOriginWrites, securityHeaders } from "../../server/security.ts";
import { count, fixtureDb, insertUser, ORG_A, ORG_B, PASSWORD, PROGRAMS } from "./helpers.ts";

// End to end through express + the production Remix build (built by the global setup), on an
// in-memory database handed to the app as its single handle. The public origin is the test
// server's own address (Remix also checks that Origin matches Host).
let ORIGIN = "";

let db: Db;
let server: Server;
let base: string;

async function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  return new Promise((done) => {
    const s = app.listen(0, "127.0.0.1", () => done({ server: s, url: `http://127.0.0.1:${(s.address() as AddressInfo).port}` }));
  });
}

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ORIGIN = base;
  process.env.BINOME_ORIGIN = ORIGIN;
  db = await fixtureDb();
  await insertUser(db, "admin", "admin", null);
  await insertUser(db, "hr-a", "hr", ORG_A);
  await insertUser(db, "sponsor-b", "sponsor", ORG_B);
  await insertUser(db, "rse-a", "rse", ORG_A);
  (globalThis as { __binomeDb?: Promise<Db> }).__binomeDb = Promise.resolve(db);
  const build = (await import(pathToFileURL(resolve("build/server/index.js")).href)) as ServerBuild;
  server.on("request", createApp({ build, origin: ORIGIN }));
});

afterAll(async () => {
  await new Promise((done) => server?.close(done));
  delete (globalThis as { __binomeDb?: Promise<Db> }).__binomeDb;
  db?.close();
});

function get(path: string, cookie?: string) {
  return fetch(`${base}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
}

function post(path: string, fields: Record<string, string>, options: { cookie?: string; origin?: string | null } = {}) {
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (options.origin !== null) headers.Origin = options.origin ?? ORIGIN;
  if (options.cookie) headers.Cookie = options.cookie;
  return fetch(`${base}${path}`, { method: "POST", redirect: "manual", headers, body: new URLSearchParams(fields) });
}

/** Signs in through the login form and returns the cookie to send back. */
async function signIn(username: string, password = PASSWORD): Promise<string> {
  const response = await post("/login", { username, password, redirectTo: "/" });
  expect(response.status).toBe(302);
  const setCookie = response.headers.get("set-cookie") ?? "";
  expect(setCookie).toMatch(/^binome_session=[a-z2-7]+\.[a-z2-7]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
  return setCookie.split(";")[0];
}

function expectSecurityHeaders(response: Response) {
  const csp = response.headers.get("content-security-policy") ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}'/);
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("style-src 'self' 'unsafe-inline'");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("referrer-policy")).toBe("same-origin");
  expect(response.headers.get("strict-transport-security")).toBeNull(); // http origin
  return /'nonce-([^']+)'/.exec(csp)![1];
}

describe("signed out", () => {
  it("pages redirect to the login page, remembering where to go back", async () => {
    const home = await get("/");
    expect(home.status).toBe(302);
    expect(home.headers.get("location")).toBe("/login");
    expectSecurityHeaders(home);
    const account = await get("/account?tab=password");
    expect(account.headers.get("location")).toBe("/login?redirectTo=%2Faccount%3Ftab%3Dpassword");
    const login = await get("/login");
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('name="password"');
  });

  it("a malformed, unknown or forged cookie is 'signed out' — a redirect or 401, never a 500", async () => {
    const cookies = [
      "binome_session=garbage",
      "binome_session=%E0%A4%A",
      `binome_session=${"a".repeat(24)}.${"b".repeat(52)}`,
      `binome_session=${"x".repeat(5000)}`,
      "binome_session=a; binome_session=b",
      "binome_session",
      "=;;=",
    ];
    for (const cookie of cookies) {
      const page = await get("/", cookie);
      expect(page.status, cookie).toBe(302);
      expect(page.headers.get("location")).toBe("/login");
      const data = await get("/_root.data", cookie);
      expect(data.status, cookie).toBeLessThan(500);
      const request = new Request(`${ORIGIN}/api/anything`, { headers: { Cookie: cookie } });
      const refusal = await requireApiUser(request).then(
        () => null,
        (thrown: unknown) => thrown,
      );
      expect(refusal).toBeInstanceOf(Response);
      expect((refusal as Response).status).toBe(401);
      expect(await (refusal as Response).json()).toMatchObject({ error: "unauthorized" });
    }
  });

  it("a wrong password gets the generic message and no cookie", async () => {
    const response = await post("/login", { username: "hr-a", password: "not the password" });
    expect(response.status).toBe(401);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await response.text()).toContain("Unknown username or wrong password.");
    const unknown = await post("/login", { username: "nobody-here", password: "not the password" });
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain("Unknown username or wrong password.");
  });

  it("signing in again ends the session the browser held before", async () => {
    const first = await signIn("rse-a");
    const response = await fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: first },
      body: new URLSearchParams({ username: "hr-a", password: PASSWORD }),
    });
    expect(response.status).toBe(302);
    expect((await get("/", first)).status).toBe(302);
  });

  it("the login page never redirects to another site", async () => {
    const response = await post("/login", { username: "rse-a", password: PASSWORD, redirectTo: "//evil.example/x" });
    expect(response.headers.get("location")).toBe("/");
  });
});

describe("CSRF: a write without our Origin gets 403 and changes nothing", () => {
  it("refuses a login POST without Origin or from another origin", async () => {
    const before = await count(db, "sessions");
    for (const origin of [null, "http://evil.example", "http://127.0.0.1.evil.example", "null"]) {
      const response = await post("/login", { username: "hr-a", password: PASSWORD }, { origin });
      expect(response.status, String(origin)).toBe(403);
      expect(response.headers.get("set-cookie")).toBeNull();
      expectSecurityHeaders(response);
    }
    expect(await count(db, "sessions")).toBe(before);
  });

  it("refuses an admin action from another origin; the same action from ours works", async () => {
    const admin = await signIn("admin");
    const victim = await signIn("sponsor-b");
    const forged = await post("/admin/users", { intent: "disable", username: "sponsor-b" }, { cookie: admin, origin: "http://evil.example" });
    expect(forged.status).toBe(403);
    expect((await get("/", victim)).status).toBe(200);
    const [{ disabled }] = await db.all<{ disabled: boolean }>("select disabled_at is not null as disabled from users where username = 'sponsor-b'");
    expect(disabled).toBe(false);

    const real = await post("/admin/users", { intent: "disable", username: "sponsor-b" }, { cookie: admin });
    expect(real.status).toBe(200);
    const [audit] = await db.all<{ action: string; details: string }>(
      "select action, details::varchar as details from audit_log where user_id = 'u_admin' order by logged_at desc limit 1",
    );
    expect(audit.action).toBe("manage_users");
    expect(JSON.parse(audit.details)).toEqual({ intent: "disable", username: "sponsor-b" });
    // The disabled user's session is dead at once, and they cannot sign in again.
    expect((await get("/", victim)).status).toBe(302);
    expect((await post("/login", { username: "sponsor-b", password: PASSWORD })).status).toBe(401);
    await post("/admin/users", { intent: "enable", username: "sponsor-b" }, { cookie: admin });
  });
});

describe("signed in", () => {
  it("the home page shows each role only its organization's programs", async () => {
    const hr = await (await get("/", await signIn("hr-a"))).text();
    expect(hr).toContain(`data-program-id="${PROGRAMS.shared.id}"`);
    expect(hr).toContain(`data-program-id="${PROGRAMS.onlyA.id}"`);
    expect(hr).not.toContain(PROGRAMS.onlyB.id);
    expect(hr).toContain("Signed in as");

    const sponsor = await (await get("/", await signIn("sponsor-b"))).text();
    expect(sponsor).toContain(`data-program-id="${PROGRAMS.onlyB.id}"`);
    expect(sponsor).not.toContain(PROGRAMS.onlyA.id);

    const admin = await (await get("/", await signIn("admin"))).text();
    for (const program of Object.values(PROGRAMS)) expect(admin).toContain(`data-program-id="${program.id}"`);
  });

  it("pages carry the security headers and every script the request's nonce", async () => {
    const cookie = await signIn("rse-a");
    const first = await get("/", cookie);
    const nonce = expectSecurityHeaders(first);
    expect(first.headers.get("cache-control")).toBe("private, no-store");
    const html = await first.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    const second = expectSecurityHeaders(await get("/", cookie));
    expect(second).not.toBe(nonce);
  });

  it("error pages carry them too, without a stack trace", async () => {
    const cookie = await signIn("rse-a");
    for (const c of [cookie, undefined]) {
      const missing = await get("/no-such-page", c);
      expect(missing.status).toBe(404);
      expectSecurityHeaders(missing);
      const html = await missing.text();
      expect(html).toContain("Not found");
      expect(html).not.toMatch(/at .*\.(js|ts):\d+/);
    }
    const forbidden = await get("/admin/users", cookie);
    expect(forbidden.status).toBe(403);
    expectSecurityHeaders(forbidden);
    expect(await forbidden.text()).toContain("This page is for administrators.");
    // In French, the refusal is French (the server sends a code, the page words it).
    const french = await get("/admin/users", `${cookie}; lang=fr`);
    expect(french.status).toBe(403);
    const frenchHtml = await french.text();
    expect(frenchHtml).toContain("Cette page est réservée aux administrateurs.");
    expect(frenchHtml).not.toContain("This page is for administrators.");
  });

  it("logout invalidates the session on the server, not only the cookie", async () => {
    const cookie = await signIn("hr-a");
    expect((await get("/", cookie)).status).toBe(200);
    const out = await post("/logout", {}, { cookie });
    expect(out.status).toBe(302);
    expect(out.headers.get("location")).toBe("/login");
    expect(out.headers.get("set-cookie")).toMatch(/^binome_session=; .*Max-Age=0/);
    // Replaying the old cookie no longer works.
    expect((await get("/", cookie)).status).toBe(302);
    const [id] = cookie.split("=")[1].split(".");
    expect(await db.all("select 1 from sessions where session_id = $id", { id })).toHaveLength(0);
  });

  it("the admin page lists the users for an admin", async () => {
    const response = await get("/admin/users", await signIn("admin"));
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const name of ["admin", "hr-a", "sponsor-b", "rse-a"]) expect(html).toContain(`data-username="${name}"`);
    expect(html).not.toContain("$argon2id$");
  });
});

describe("authorization matrix (the routes that exist so far)", () => {
  type Who = "signed-out" | "admin" | "hr-a" | "rse-a" | "sponsor-b";
  const WHO: Who[] = ["signed-out", "admin", "hr-a", "rse-a", "sponsor-b"];
  // route → who → [status, location or null]
  const expected: Record<string, (who: Who) => [number, string | null]> = {
    "/": (who) => (who === "signed-out" ? [302, "/login"] : [200, null]),
    "/account": (who) => (who === "signed-out" ? [302, "/login?redirectTo=%2Faccount"] : [200, null]),
    "/admin/users": (who) =>
      who === "signed-out" ? [302, "/login?redirectTo=%2Fadmin%2Fusers"] : who === "admin" ? [200, null] : [403, null],
    "/login": (who) => (who === "signed-out" ? [200, null] : [302, "/"]),
    "/logout": () => [302, "/"],
  };
  const OTHER_ORG: Partial<Record<Who, string[]>> = {
    "hr-a": [ORG_B, "Beta SA", PROGRAMS.onlyB.id],
    "rse-a": [ORG_B, "Beta SA", PROGRAMS.onlyB.id],
    "sponsor-b": [ORG_A, "Alpha Corp", PROGRAMS.onlyA.id],
  };

  it("every route × every role gives the expected status, and nothing of another organization", async () => {
    const cookies = new Map<Who, string | undefined>([["signed-out", undefined]]);
    for (const who of WHO.slice(1)) cookies.set(who, await signIn(who));
    for (const [route, expect_] of Object.entries(expected)) {
      for (const who of WHO) {
        const response = await get(route, cookies.get(who));
        const [status, location] = expect_(who);
        expect(response.status, `${who} GET ${route}`).toBe(status);
        expect(response.headers.get("location"), `${who} GET ${route}`).toBe(location);
        const body = await response.text();
        for (const secret of OTHER_ORG[who] ?? []) expect(body, `${who} GET ${route}`).not.toContain(secret);
        expect(body).not.toContain("$argon2id$");
      }
    }
  });

  it("a program of fewer than 5 participants: refused to every protected reader, page, data and JSON (docs/privacy.md)", async () => {
    const id = PROGRAMS.shared.id; // 4 participants
    for (const who of ["hr-a", "rse-a", "sponsor-b"] as const) {
      const cookie = await signIn(who);
      for (const path of [`/programs/${id}`, `/programs/${id}/quality`, `/programs/${id}/quality.data`, `/programs/${id}.data`]) {
        const response = await get(path, cookie);
        expect(response.status, `${who} GET ${path}`).toBe(403);
        // A page says why in words; its data (a client-side navigation) carries the code the page words.
        expect(await response.text(), `${who} GET ${path}`).toContain(path.endsWith(".data") ? "program_too_small" : "fewer than 5 participants");
      }
      const french = await get(`/programs/${id}/quality`, `${cookie}; lang=fr`);
      expect(french.status, who).toBe(403);
      const frenchHtml = await french.text();
      expect(frenchHtml, who).toContain("Ce programme compte moins de 5 participants");
      expect(frenchHtml, who).not.toContain("fewer than 5 participants");
      const json = await get(`/api/programs/${id}/report.json`, cookie);
      expect(json.status, who).toBe(403);
      expect(await json.json()).toMatchObject({ error: "forbidden", message: expect.stringContaining("fewer than 5 participants") });
    }
    const admin = await signIn("admin");
    expect((await get(`/programs/${id}`, admin)).status).toBe(200);
    expect((await get(`/api/programs/${id}/report.json`, admin)).status).toBe(200);
  });

  it("every action refuses a POST without Origin and changes nothing", async () => {
    const admin = await signIn("admin");
    const hr = await signIn("hr-a");
    const sessionsBefore = await count(db, "sessions");
    const posts: Array<[string, Record<string, string>, string | undefined]> = [
      ["/login", { username: "hr-a", password: PASSWORD }, undefined],
      ["/logout", {}, hr],
      ["/account", { currentPassword: PASSWORD, newPassword: "an attacker's password", confirmPassword: "an attacker's password" }, hr],
      ["/admin/users", { intent: "add", username: "intruder", role: "admin" }, admin],
      ["/admin/users", { intent: "reset-password", username: "hr-a" }, admin],
      ["/", {}, hr],
    ];
    for (const [path, fields, cookie] of posts) {
      const response = await post(path, fields, { cookie, origin: null });
      expect(response.status, path).toBe(403);
    }
    expect(await count(db, "sessions")).toBe(sessionsBefore);
    expect((await get("/", hr)).status).toBe(200);
    expect(await db.all("select 1 from users where username = 'intruder'")).toHaveLength(0);
    expect((await post("/login", { username: "hr-a", password: PASSWORD })).status).toBe(302);
  });

  it("per-program access: a program of another organization is a 404, like a missing one", async () => {
    const hr = await signIn("hr-a");
    const request = (cookie?: string) => new Request(`${ORIGIN}/programs/x`, { headers: cookie ? { Cookie: cookie } : {} });
    await expect(requireProgram(request(hr), PROGRAMS.shared.id)).resolves.toMatchObject({ scope: { role: "hr", orgId: ORG_A } });
    for (const id of [PROGRAMS.onlyB.id, "no-such-program", undefined]) {
      const page = await requireProgram(request(hr), id).catch((e: unknown) => e);
      expect((page as { init?: { status?: number } }).init?.status ?? (page as Response).status).toBe(404);
      const api = (await requireApiProgram(request(hr), id).catch((e: unknown) => e)) as Response;
      expect(api.status).toBe(404);
    }
    const signedOut = (await requireProgram(request(), PROGRAMS.shared.id).catch((e: unknown) => e)) as Response;
    expect(signedOut.status).toBe(302);
    const apiOut = (await requireApiProgram(request(), PROGRAMS.shared.id).catch((e: unknown) => e)) as Response;
    expect(apiOut.status).toBe(401);
  });

  it("a server error is a 500 page with the headers, logged on the server, with no detail in the body", async () => {
    const holder = globalThis as { __binomeDb?: Promise<Db> };
    const failing = Promise.reject(new Error("secret detail: select * from users"));
    failing.catch(() => {});
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    holder.__binomeDb = failing;
    try {
      const response = await get("/login");
      expect(response.status).toBe(500);
      expectSecurityHeaders(response);
      const body = await response.text();
      expect(body).toContain("Something went wrong on our side");
      expect(body).not.toContain("secret detail");
      expect(body).not.toContain("select * from users");
      expect(errors.mock.calls.flat().join(" ")).toContain("secret detail");
    } finally {
      holder.__binomeDb = Promise.resolve(db);
      errors.mockRestore();
    }
  });
});

describe("behind a reverse proxy (BINOME_TRUST_PROXY)", () => {
  it("throttles sign-ins by the forwarded client address only when the proxy is trusted", async () => {
    const build = (await import(pathToFileURL(resolve("build/server/index.js")).href)) as ServerBuild;
    const ipKeys = async () =>
      (await db.all<{ throttle_key: string }>("select distinct throttle_key from login_failures where throttle_key like 'ip:%' order by 1")).map((r) => r.throttle_key);
    const tryWrong = async (trustProxy: string | null) => {
      const proxied = createServer();
      await new Promise<void>((done) => proxied.listen(0, "127.0.0.1", done));
      const url = `http://127.0.0.1:${(proxied.address() as AddressInfo).port}`;
      proxied.on("request", createApp({ build, origin: url, trustProxy }));
      try {
        const response = await fetch(`${url}/login`, {
          method: "POST",
          redirect: "manual",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: url, "X-Forwarded-For": "203.0.113.7" },
          body: new URLSearchParams({ username: "nobody-behind-proxy", password: "wrong password here" }),
        });
        expect(response.status).toBe(401);
      } finally {
        await new Promise((done) => proxied.close(done));
      }
    };
    await db.run("delete from login_failures");
    await tryWrong(null);
    // Not trusted: a client's X-Forwarded-For is ignored, the socket's address counts.
    expect(await ipKeys()).toEqual(["ip:127.0.0.1"]);
    await db.run("delete from login_failures");
    await tryWrong("loopback");
    expect(await ipKeys()).toEqual(["ip:203.0.113.7"]);
    await db.run("delete from login_failures");
    expect(() => createApp({ build, origin: "http://localhost:3000", trustProxy: "not-an-address" })).toThrow(/BINOME_TRUST_PROXY: .*not-an-address/);
  });
});

describe("the middleware on its own", () => {
  it("adds HSTS only for an https origin, and rejects writes before any handler runs", async () => {
    let handled = 0;
    const app = express();
    app.use(securityHeaders({ origin: "https://binome.example.org", isHttps: true }));
    app.use(rejectCrossOriginWrites({ origin: "https://binome.example.org" }));
    app.all("/thing", (_req, res) => {
      handled += 1;
      res.send("ok");
    });
    const { server: s, url } = await listen(app);
    try {
      const page = await fetch(`${url}/thing`);
      expect(page.headers.get("strict-transport-security")).toMatch(/max-age=\d{7,}/);
      for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
        expect((await fetch(`${url}/thing`, { method })).status).toBe(403);
        expect((await fetch(`${url}/thing`, { method, headers: { Origin: "http://binome.example.org" } })).status).toBe(403);
      }
      expect(handled).toBe(1);
      // Our origin, addressed to another host (here the test server's own): refused too (400).
      expect((await fetch(`${url}/thing`, { method: "POST", headers: { Origin: "https://binome.example.org" } })).status).toBe(400);
      // Behind the TLS-terminating proxy, which names the public host: accepted.
      const proxied = { Origin: "https://binome.example.org", "X-Forwarded-Host": "binome.example.org" };
      expect((await fetch(`${url}/thing`, { method: "POST", headers: proxied })).status).toBe(200);
      expect((await fetch(`${url}/thing`, { method: "HEAD" })).status).toBe(200);
      expect(handled).toBe(3);
    } finally {
      await new Promise((done) => s.close(done));
    }
  });
});
