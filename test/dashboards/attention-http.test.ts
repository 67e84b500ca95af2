// The attention list over HTTP (issue 14, item 3), through express + the production Remix build
// (`npm run -s build` first) on an in-memory octave-demo: who may open the page and its CSV
// (admin and hr; 403 for rse and sponsor; signed out: the login page / 401), what hr gets (its
// organization's pairs only, never another organization's participant id, in the page or the
// CSV), the CSV equals the page's selection (filters, category, reason, sort) and the report's
// at-risk count, each download and view is audited, and the Overview's tile links to the list
// only for the readers who may open it.
import type { ServerBuild } from "@remix-run/node";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAttentionQuery, selectAttention } from "../../analytics/dashboards/attention.ts";
import { ATTENTION_CSV_COLUMNS, getAttention } from "../../analytics/dashboards/attention.server.ts";
import { clearPageCache } from "../../analytics/metrics/cache.server.ts";
import { NO_FILTERS } from "../../analytics/domain/filters.ts";
import { applySchema, openDatabase, type Db } from "../../analytics/db/database.server.ts";
import { ingestExport } from "../../analytics/ingest/index.server.ts";
import { getProgramReport } from "../../analytics/report/report.server.ts";
import { generateDemo } from "../../seeds/generate.ts";
import { createApp } from "../../server/app.ts";
import { insertUser, PASSWORD } from "../auth/helpers.ts";
import { parseCsvLine } from "../e2e/demo-browser.ts";

// large-demo: octave-demo is over (as_of after its end), so it has no active pair to list.
const PROGRAM = "large-demo";
const ORG = "RAVEL-ENERGIE";
let db: Db;
let server: Server;
let base = "";
let dir = "";
/** participant id → organization id */
let orgOf = new Map<string, string>();
let otherOrg = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "binome-attention-http-"));
  const { folders } = await generateDemo({ outDir: dir, programs: [PROGRAM] });
  db = await openDatabase(":memory:");
  await applySchema(db);
  for (const folder of folders) expect((await ingestExport(db, [folder.dir])).outcome).toBe("imported");
  clearPageCache();
  const people = await db.all<{ participant_id: string; org_id: string }>("select participant_id, org_id from participants where program_id = $p", { p: PROGRAM });
  orgOf = new Map(people.map((r) => [r.participant_id, r.org_id]));
  otherOrg = [...new Set(people.map((r) => r.org_id))].sort().find((o) => o !== ORG)!;
  await insertUser(db, "admin", "admin", null);
  await insertUser(db, "hr", "hr", ORG);
  await insertUser(db, "hr-other", "hr", otherOrg);
  await insertUser(db, "rse", "rse", ORG);
  await insertUser(db, "sponsor", "sponsor", ORG);
  server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.BINOME_ORIGIN = base;
  (globalThis as { __binomeDb?: Promise<Db> }).__binomeDb = Promise.resolve(db);
  const build = (await import(pathToFileURL(resolve("build/server/index.js")).href)) as ServerBuild;
  server.on("request", createApp({ build, origin: base }));
}, 240_000);

afterAll(async () => {
  await new Promise((done) => server?.close(done));
  delete (globalThis as { __binomeDb?: Promise<Db> }).__binomeDb;
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const cookies = new Map<string, string>();
async function signIn(username: string): Promise<string> {
  const known = cookies.get(username);
  if (known) return known;
  const response = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
    body: new URLSearchParams({ username, password: PASSWORD, redirectTo: "/" }),
  });
  expect(response.status).toBe(302);
  const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0];
  cookies.set(username, cookie);
  return cookie;
}
const get = async (path: string, user?: string) => fetch(`${base}${path}`, { redirect: "manual", headers: user ? { Cookie: await signIn(user) } : {} });

function readCsv(text: string): Record<string, string>[] {
  const lines = text.trim().split("\n");
  const header = parseCsvLine(lines[0]);
  expect(header).toEqual([...ATTENTION_CSV_COLUMNS]);
  return lines.slice(1).map((line) => {
    const cells = parseCsvLine(line);
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  });
}

const lastAudit = async (user: string) =>
  (
    await db.all<{ action: string; program_id: string; details: string }>(
      "select action, program_id, details::varchar as details from audit_log where user_id = $u order by logged_at desc limit 1",
      { u: `u_${user}` },
    )
  )[0];

describe("the attention list over HTTP", () => {
  it("rse and sponsor get 403 for the page and the CSV; signed out: the login page and 401", async () => {
    for (const user of ["rse", "sponsor"]) {
      const page = await get(`/programs/${PROGRAM}/attention`, user);
      expect(page.status, user).toBe(403);
      const body = await page.text();
      for (const id of orgOf.keys()) expect(body.includes(`>${id} (`), `${user}: ${id}`).toBe(false);
      const csv = await get(`/programs/${PROGRAM}/attention.csv`, user);
      expect(csv.status, user).toBe(403);
      expect((await csv.json()).error).toBe("forbidden");
    }
    expect((await get(`/programs/${PROGRAM}/attention`)).status).toBe(302);
    expect((await get(`/programs/${PROGRAM}/attention.csv`)).status).toBe(401);
    expect((await get(`/programs/no-such-program/attention`, "hr")).status).toBe(404);
  });

  it("admin: the CSV is the whole list; needs a check-in = the report's at-risk pairs; the download is audited", async () => {
    const response = await get(`/programs/${PROGRAM}/attention.csv`, "admin");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${PROGRAM}-attention.csv"`);
    const rows = readCsv(await response.text());
    const report = (await getProgramReport(db, PROGRAM))!;
    expect(rows.filter((r) => r.category === "needs_check_in").length).toBe(report.quality.at_risk_pairs);
    expect(rows.length).toBe(report.pairs.active);
    const audit = await lastAudit("admin");
    expect(audit.action).toBe("download_export");
    expect(audit.program_id).toBe(PROGRAM);
    expect(JSON.parse(audit.details)).toMatchObject({ format: "csv", dataset: "attention", rows: rows.length });
  });

  it("the CSV is the page's selection: filters, category, reason and sort, in the same order", async () => {
    const qs = `org=${ORG}&category=needs_check_in&sort=matched&dir=desc`;
    const rows = readCsv(await (await get(`/programs/${PROGRAM}/attention.csv?${qs}`, "admin")).text());
    const list = (await getAttention(db, PROGRAM, { kind: "all" }, { ...NO_FILTERS, org: ORG }))!;
    const expected = selectAttention(list, parseAttentionQuery(new URLSearchParams(qs)), null).rows;
    expect(rows.map((r) => r.pair_id)).toEqual(expected.map((p) => p.pair_id));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.category === "needs_check_in" && (r.mentor_org_id === ORG || r.mentee_org_id === ORG))).toBe(true);
    const matched = rows.map((r) => r.matched_at);
    expect(matched).toEqual([...matched].sort().reverse());
    expect(JSON.parse((await lastAudit("admin")).details)).toMatchObject({ rows: rows.length, filters: { org: ORG }, list: { category: "needs_check_in", sort: "matched", dir: "desc" } });
    // The page shows the same pairs (first page) and records the view.
    const html = await (await get(`/programs/${PROGRAM}/attention?${qs}`, "admin")).text();
    const shown = [...html.matchAll(/data-pair-id="([^"]+)"/g)].map((m) => m[1]);
    expect(shown).toEqual(expected.slice(0, 50).map((p) => p.pair_id));
    expect((await lastAudit("admin")).action).toBe("view_individuals");
  });

  for (const [user, org] of [
    ["hr", ORG],
    ["hr-other", "other"],
  ] as const) {
    it(`${user}: only its organization's pairs; no participant id of another organization in the page or the CSV`, async () => {
      const own = org === "other" ? otherOrg : org;
      const foreign = new Set([...orgOf].filter(([, o]) => o !== own).map(([id]) => id));
      const csvText = await (await get(`/programs/${PROGRAM}/attention.csv`, user)).text();
      const rows = readCsv(csvText);
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        expect(r.mentor_org_id === own || r.mentee_org_id === own, r.pair_id).toBe(true);
        for (const side of ["mentor", "mentee"] as const) {
          if (r[`${side}_org_id`] !== own) expect([r[`${side}_id`], r[`${side}_org_id`]], r.pair_id).toEqual(["", ""]);
        }
      }
      const admin = (await getAttention(db, PROGRAM, { kind: "all" }))!;
      expect(rows.length).toBe(admin.pairs.filter((p) => p.mentor_org_id === own || p.mentee_org_id === own).length);
      let pages = 0;
      for (let page = 1; page <= 10; page++) {
        const response = await get(`/programs/${PROGRAM}/attention?page=${page}`, user);
        expect(response.status).toBe(200);
        const html = await response.text();
        const ids = new Set(html.match(/(?<![A-Za-z0-9_-])P\d{3,4}(?![A-Za-z0-9_-])/g) ?? []);
        expect([...ids].filter((id) => foreign.has(id)), `page ${page}`).toEqual([]);
        expect(html).toContain("(other organization)");
        pages++;
        if (!html.includes('rel="next"')) break;
      }
      expect(pages).toBe(Math.ceil(rows.length / 50));
      for (const id of foreign) expect(csvText.includes(id), id).toBe(false);
    });
  }

  it("the Overview's tile: the count and the link for admin and hr, nothing for rse and sponsor", async () => {
    const report = (await getProgramReport(db, PROGRAM))!;
    const admin = await (await get(`/programs/${PROGRAM}/`, "admin")).text();
    expect(report.quality.at_risk_pairs).toBeGreaterThan(100);
    expect(admin).toMatch(new RegExp(`data-tile="needs_check_in" data-value="${report.quality.at_risk_pairs}"`));
    expect(admin).toContain(`href="/programs/${PROGRAM}/attention"`);
    const hr = await (await get(`/programs/${PROGRAM}/?org=${ORG}`, "hr")).text();
    expect(hr).toContain('data-tile="needs_check_in"');
    expect(hr).toContain(`href="/programs/${PROGRAM}/attention?org=${ORG}"`);
    for (const user of ["rse", "sponsor"]) {
      const html = await (await get(`/programs/${PROGRAM}/`, user)).text();
      expect(html, user).not.toContain('data-tile="needs_check_in"');
      expect(html, user).not.toContain(`href="/programs/${PROGRAM}/attention`);
    }
  });

  it("French: the CSV opens in a French Excel (`;`, decimal comma, byte-order mark), the same pairs as in English", async () => {
    const cookie = `${await signIn("admin")}; lang=fr`;
    const response = await fetch(`${base}/programs/${PROGRAM}/attention.csv?category=needs_check_in`, { headers: { Cookie: cookie } });
    expect(response.status).toBe(200);
    // Gzipped once and kept (fetch asks for gzip and decodes it).
    expect(response.headers.get("content-encoding")).toBe("gzip");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder("utf-8").decode(bytes).trimEnd().split("\n");
    expect(lines[0]).toBe(ATTENTION_CSV_COLUMNS.join(";"));
    const english = readCsv(await (await get(`/programs/${PROGRAM}/attention.csv?category=needs_check_in`, "admin")).text());
    expect(lines.length - 1).toBe(english.length);
    const risk = ATTENTION_CSV_COLUMNS.indexOf("risk");
    const scored = english.findIndex((r) => r.risk.includes("."));
    expect(scored).toBeGreaterThanOrEqual(0);
    expect(lines[1 + scored].split(";")[risk]).toBe(english[scored].risk.replace(".", ","));
  });

  it("French: the page and the tile are translated", async () => {
    const cookie = `${await signIn("admin")}; lang=fr`;
    const html = await (await fetch(`${base}/programs/${PROGRAM}/attention`, { headers: { Cookie: cookie } })).text();
    expect(html).toContain("Binômes à suivre");
    expect(html).toContain("À contacter");
    expect(html).not.toContain("Needs a check-in");
  });

  it("French: the 403 page of rse and sponsor says why in French", async () => {
    for (const user of ["rse", "sponsor"]) {
      const response = await fetch(`${base}/programs/${PROGRAM}/attention`, { headers: { Cookie: `${await signIn(user)}; lang=fr` } });
      expect(response.status, user).toBe(403);
      const html = await response.text();
      expect(html, user).toContain("elle est réservée à l&#x27;opérateur et aux RH");
      expect(html, user).not.toContain("it is for operators and HR only");
    }
  });
});
