import type { ServerBuild } from "@remix-run/node";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../analytics/db/database.server.ts";
import { createApp } from "../../server/app.ts";
import { fixtureDb, insertUser, ORG_A, ORG_B, PASSWORD, PROGRAMS } from "../auth/helpers.ts";

// The operation pages and resources through express + the production build: admin only, and a
// refused request changes nothing.
let db: Db;
let server: Server;
let base = "";

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.BINOME_ORIGIN = base;
  db = await fixtureDb();
  await insertUser(db, "admin", "admin", null);
  await insertUser(db, "hr-a", "hr", ORG_A);
  await insertUser(db, "rse-a", "rse", ORG_A);
  await insertUser(db, "sponsor-b", "sponsor", ORG_B);
  (globalThis as { __binomeDb?: Promise<Db> }).__binomeDb = Promise.resolve(db);
  const build = (await import(pathToFileURL(resolve("build/server/index.js")).href)) as ServerBuild;
  server.on("request", createApp({ build, origin: base }));
});

afterAll(async () => {
  await new Promise((done) => server?.close(done));
  delete (globalThis as { __binomeDb?: Promise<Db> }).__binomeDb;
  db?.close();
});

const get = (path: string, cookie?: string) => fetch(`${base}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
function post(path: string, body: URLSearchParams | FormData, cookie?: string, origin: string | null = base) {
  const headers: Record<string, string> = {};
  if (origin) headers.Origin = origin;
  if (cookie) headers.Cookie = cookie;
  return fetch(`${base}${path}`, { method: "POST", redirect: "manual", headers, body });
}

async function signIn(username: string): Promise<string> {
  const response = await post("/login", new URLSearchParams({ username, password: PASSWORD, redirectTo: "/" }));
  expect(response.status).toBe(302);
  return (response.headers.get("set-cookie") ?? "").split(";")[0];
}

const programCount = async () => (await db.all<{ n: number }>("select count(*) as n from programs"))[0].n;

describe("operations: admin only", () => {
  const pages = ["/admin/imports", "/admin/programs", "/admin/erasure"];
  const apis = ["/api/admin/imports/0123456789abcdef01234567", `/api/admin/participant-export?programId=${PROGRAMS.shared.id}&participantId=${ORG_A}-p1`];

  it("pages: admin 200, other roles 403, signed out to the login page", async () => {
    for (const path of pages) {
      expect((await get(path)).status).toBe(302);
      expect((await get(path, await signIn("admin"))).status).toBe(200);
      for (const who of ["hr-a", "rse-a", "sponsor-b"]) expect((await get(path, await signIn(who))).status, `${who} ${path}`).toBe(403);
    }
  });

  it("the programs page shows each program's end of retention", async () => {
    const html = await (await get("/admin/programs", await signIn("admin"))).text();
    expect(html).toContain('data-purge-after="2028-09-05"');
  });

  it("resources: signed out 401, other roles 403, admin gets the participant's JSON", async () => {
    for (const path of apis) {
      expect((await get(path)).status).toBe(401);
      for (const who of ["hr-a", "rse-a", "sponsor-b"]) expect((await get(path, await signIn(who))).status, `${who} ${path}`).toBe(403);
    }
    const admin = await signIn("admin");
    expect((await get(apis[0], admin)).status).toBe(404);
    const json = await get(apis[1], admin);
    expect(json.status).toBe(200);
    expect(json.headers.get("content-disposition")).toMatch(/attachment/);
    expect((await json.json()).participant.participant_id).toBe(`${ORG_A}-p1`);
  });

  it("a non-admin cannot delete, erase or upload; a foreign origin cannot either; nothing changes", async () => {
    const before = await programCount();
    const del = new URLSearchParams({ intent: "delete", programId: PROGRAMS.shared.id, confirm: PROGRAMS.shared.id });
    const erase = new URLSearchParams({ intent: "erase", programId: PROGRAMS.shared.id, participantId: `${ORG_A}-p1`, confirm: `${ORG_A}-p1` });
    const upload = new FormData();
    upload.append("files", new Blob(["program_id\n"]), "programs.csv");
    for (const who of ["hr-a", "rse-a", "sponsor-b"]) {
      const cookie = await signIn(who);
      expect((await post("/admin/programs", del, cookie)).status).toBe(403);
      expect((await post("/admin/erasure", erase, cookie)).status).toBe(403);
      expect((await post("/admin/imports", upload, cookie)).status).toBe(403);
    }
    const admin = await signIn("admin");
    expect((await post("/admin/programs", del, admin, "http://evil.example")).status).toBe(403);
    expect((await post("/admin/erasure", erase, admin, null)).status).toBe(403);
    expect(await programCount()).toBe(before);
    expect(
      await db.all("select count(*)::integer as n from participants where program_id = $program and participant_id = $id", { program: PROGRAMS.shared.id, id: `${ORG_A}-p1` }),
    ).toEqual([{ n: 1 }]);
    expect(await db.all("select count(*)::integer as n from erasure_ledger")).toEqual([{ n: 0 }]);
  });

  it("the admin deletes a program only with its id typed, and can restore it", async () => {
    const admin = await signIn("admin");
    const before = await programCount();
    const wrong = await post("/admin/programs", new URLSearchParams({ intent: "delete", programId: PROGRAMS.onlyB.id, confirm: "nope" }), admin);
    expect(wrong.status).toBe(400);
    expect(await programCount()).toBe(before);
    const done = await post("/admin/programs", new URLSearchParams({ intent: "delete", programId: PROGRAMS.onlyB.id, confirm: PROGRAMS.onlyB.id }), admin);
    expect(done.status).toBe(200);
    expect(await programCount()).toBe(before - 1);
    const audit = await db.all<{ action: string; program_id: string }>("select action, program_id from audit_log order by logged_at desc limit 1");
    expect(audit).toEqual([{ action: "delete_program", program_id: PROGRAMS.onlyB.id }]);
    expect((await post("/admin/programs", new URLSearchParams({ intent: "undo", programId: PROGRAMS.onlyB.id }), admin)).status).toBe(200);
    expect(await programCount()).toBe(before);
  });

  it("the admin sets a program's cost per departure (audited), clears it, and a wrong amount changes nothing (issue 13)", async () => {
    const admin = await signIn("admin");
    const program = PROGRAMS.shared.id;
    const set = (value: string, cookie = admin) => post("/admin/programs", new URLSearchParams({ intent: "cost", programId: program, costPerDeparture: value }), cookie);
    const stored = async () => await db.all("select cost_per_departure::double as cost from program_impact where program_id = $program", { program });
    expect((await set("25 000,50")).status).toBe(200);
    expect(await stored()).toEqual([{ cost: 25000.5 }]);
    const audit = await db.all<{ action: string; program_id: string; details: string }>("select action, program_id, details from audit_log order by logged_at desc limit 1");
    expect(audit[0]).toMatchObject({ action: "set_cost_per_departure", program_id: program });
    expect(JSON.parse(audit[0].details)).toMatchObject({ cost_per_departure: 25000.5 });
    expect(await (await get("/admin/programs", admin)).text()).toContain('data-cost-per-departure="25000.5"');
    for (const bad of ["-3", "abc", "1.234"]) expect((await set(bad)).status, bad).toBe(400);
    expect((await set("1000", await signIn("hr-a"))).status).toBe(403);
    expect(await stored()).toEqual([{ cost: 25000.5 }]);
    expect((await set("")).status).toBe(200);
    expect(await stored()).toEqual([]);
  });
});
