import type { ServerBuild } from "@remix-run/node";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { THROTTLE } from "../../analytics/auth/throttle.server.ts";
import type { Db } from "../../analytics/db/database.server.ts";
import { createApp } from "../../server/app.ts";
import { fixtureDb, insertUser, ORG_A, PASSWORD, rawRequest } from "./helpers.ts";

// Issue 12, items 2–5: the sign-in throttle under a burst, Retry-After, an odd Host, and
// ending a session with its id alone. Through express + the production build, like http.test.ts.
let ORIGIN = "";
let HOST = "";
let db: Db;
let server: Server;

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  ORIGIN = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  HOST = new URL(ORIGIN).host;
  process.env.BINOME_ORIGIN = ORIGIN;
  db = await fixtureDb();
  for (const name of ["burst-victim", "retry-victim", "session-owner", "someone-else"]) await insertUser(db, name, "hr", ORG_A);
  (globalThis as { __binomeDb?: Promise<Db> }).__binomeDb = Promise.resolve(db);
  const build = (await import(pathToFileURL(resolve("build/server/index.js")).href)) as ServerBuild;
  server.on("request", createApp({ build, origin: ORIGIN }));
});

afterAll(async () => {
  await new Promise((done) => server?.close(done));
  delete (globalThis as { __binomeDb?: Promise<Db> }).__binomeDb;
  db?.close();
});

function post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${ORIGIN}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, ...headers },
    body: new URLSearchParams(fields),
  });
}

/** A form POST (or `method`) with headers fetch would not let us set, such as Host. */
function rawPost(path: string, headers: Record<string, string>, body = "", method = "POST") {
  return rawRequest((server.address() as AddressInfo).port, method, path, { "Content-Type": "application/x-www-form-urlencoded", ...headers }, body);
}

// Every request comes from 127.0.0.1: forget the address's failures between tests so that only
// the account throttle is at stake.
beforeEach(async () => {
  await db.run("delete from login_failures where throttle_key like 'ip:%'");
});

async function signIn(username: string): Promise<string> {
  const response = await post("/login", { username, password: PASSWORD, redirectTo: "/" });
  expect(response.status).toBe(302);
  return (response.headers.get("set-cookie") ?? "").split(";")[0];
}

describe("the sign-in throttle under a burst (item 2)", () => {
  it("15 simultaneous wrong passwords for one account: at most the free failures are checked, the rest get 429", async () => {
    const burst = 15;
    const responses = await Promise.all(
      Array.from({ length: burst }, (_, i) => post("/login", { username: "burst-victim", password: `wrong guess number ${i}` })),
    );
    const statuses = responses.map((r) => r.status);
    const invalid = statuses.filter((s) => s === 401).length;
    const throttled = statuses.filter((s) => s === 429).length;
    expect(invalid, statuses.join(",")).toBeLessThanOrEqual(THROTTLE.account.free);
    expect(invalid + throttled, statuses.join(",")).toBe(burst);
    // The failures recorded are exactly those whose password was checked.
    const [{ n }] = await db.all<{ n: number }>("select count(*) as n from login_failures where throttle_key = 'account:burst-victim'");
    expect(n).toBe(invalid);
    for (const response of responses.filter((r) => r.status === 429)) expect(response.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
  });
});

describe("Retry-After on a throttled sign-in (item 3)", () => {
  it("the document POST and the single-fetch .data POST both carry Retry-After", async () => {
    for (let i = 0; i < THROTTLE.account.free; i++) {
      expect((await post("/login", { username: "retry-victim", password: `wrong guess number ${i}` })).status).toBe(401);
    }
    const document = await post("/login", { username: "retry-victim", password: PASSWORD });
    expect(document.status).toBe(429);
    expect(document.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    expect(await document.text()).toContain("Too many failed attempts");

    const data = await post("/login.data", { username: "retry-victim", password: PASSWORD });
    expect(data.status).toBe(429);
    expect(data.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    expect(await data.text()).toContain("Too many failed attempts");
  });
});

describe("an odd Host header (item 4)", () => {
  it("a write with our Origin but another Host is a clean 400 naming the expected host, with nothing logged", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const stderr = vi.spyOn(process.stderr, "write");
    try {
      const body = new URLSearchParams({ username: "someone-else", password: PASSWORD }).toString();
      const odd: Array<Record<string, string>> = [{ Host: "evil.example" }, { Host: HOST, "X-Forwarded-Host": "evil.example" }, { Host: "evil.example:1" }];
      for (const headers of odd) {
        const response = await rawPost("/login", { Origin: ORIGIN, ...headers }, body);
        expect(response.status, JSON.stringify(headers)).toBe(400);
        expect(response.headers["set-cookie"]).toBeUndefined();
        expect(response.text).toContain(HOST);
        expect(response.text).not.toMatch(/at .*\.(js|ts):\d+/);
      }
      const logged = [...errors.mock.calls, ...stderr.mock.calls].flat().map(String).join("\n");
      expect(logged).not.toMatch(/\n\s+at /);
      expect(logged).not.toContain("does not match `origin`");
    } finally {
      errors.mockRestore();
      stderr.mockRestore();
    }
    // Our own host still works.
    expect((await rawPost("/login", { Origin: ORIGIN, Host: HOST }, new URLSearchParams({ username: "someone-else", password: PASSWORD }).toString())).status).toBe(302);
  });
});

describe("a Host that makes no URL (item 4)", () => {
  it("any method gets a clean 400 naming the header, with nothing logged, and the server keeps serving", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const stderr = vi.spyOn(process.stderr, "write");
    try {
      for (const host of ["[bad", "a b", "ex%ample", `127.0.0.1:99999`]) {
        for (const method of ["GET", "POST"]) {
          const response = await rawPost("/login", { Origin: ORIGIN, Host: host }, "", method);
          expect(response.status, `${method} ${host}`).toBe(400);
          expect(response.text).toContain("Host header");
          expect(response.text).not.toMatch(/at .*\.(js|ts):\d+/);
        }
      }
      const logged = [...errors.mock.calls, ...stderr.mock.calls].flat().map(String).join("\n");
      expect(logged).not.toMatch(/\n\s+at /);
      expect(logged).not.toContain("Invalid URL");
    } finally {
      errors.mockRestore();
      stderr.mockRestore();
    }
    expect((await fetch(`${ORIGIN}/login`)).status).toBe(200);
  });
});

describe("ending a session needs its secret (item 5)", () => {
  const forge = (cookie: string) => {
    const [name, token] = cookie.split("=");
    const [id, secret] = token.split(".");
    const wrong = `${secret.slice(0, -1)}${secret.endsWith("a") ? "b" : "a"}`;
    return `${name}=${id}.${wrong}`;
  };

  it("/logout with the right id and a wrong secret ends no session", async () => {
    const cookie = await signIn("session-owner");
    const out = await post("/logout", {}, { Cookie: forge(cookie) });
    expect(out.status).toBe(302);
    expect((await fetch(`${ORIGIN}/`, { redirect: "manual", headers: { Cookie: cookie } })).status).toBe(200);
    // The right secret does end it.
    await post("/logout", {}, { Cookie: cookie });
    expect((await fetch(`${ORIGIN}/`, { redirect: "manual", headers: { Cookie: cookie } })).status).toBe(302);
  });

  it("/login with the right id and a wrong secret does not end the session it names", async () => {
    const cookie = await signIn("session-owner");
    const response = await post("/login", { username: "someone-else", password: PASSWORD }, { Cookie: forge(cookie) });
    expect(response.status).toBe(302);
    expect((await fetch(`${ORIGIN}/`, { redirect: "manual", headers: { Cookie: cookie } })).status).toBe(200);
  });
});
