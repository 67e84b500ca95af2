/**
 * The mapped web import's actions over HTTP (issue #17) through express + the production build:
 * upload of a workbook in another layout (a mapping proposed), preview with a mapping sent as
 * JSON (refused clearly when it is not JSON or not a mapping), save as preset, confirm (refused when
 * its mapping is not the previewed one); admin
 * only on every action, checked server-side; no stack trace in any answer.
 */
import type { ServerBuild } from "@remix-run/node";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../analytics/db/database.server.ts";
import { PRESETS } from "../../analytics/ingest/mapping/presets.ts";
import { writeFlatLayout } from "../../seeds/flat-layout.ts";
import { createApp } from "../../server/app.ts";
import { fixtureDb, insertUser, ORG_A, PASSWORD } from "../auth/helpers.ts";

let db: Db;
let server: Server;
let base = "";
let dir = "";
let workbook: Uint8Array<ArrayBuffer>;
const BASIC = resolve(import.meta.dirname, "../fixtures/exports/basic");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "binome-mapping-http-"));
  process.env.BINOME_UPLOAD_DIR = join(dir, "uploads");
  workbook = new Uint8Array(readFileSync(writeFlatLayout(BASIC, dir, "flat-en", "xlsx", "platform")[0]));
  server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.BINOME_ORIGIN = base;
  db = await fixtureDb();
  await insertUser(db, "admin", "admin", null);
  await insertUser(db, "hr-a", "hr", ORG_A);
  (globalThis as { __binomeDb?: Promise<Db> }).__binomeDb = Promise.resolve(db);
  (globalThis as { __binomeImportDb?: Promise<Db> }).__binomeImportDb = Promise.resolve(db);
  const build = (await import(pathToFileURL(resolve("build/server/index.js")).href)) as ServerBuild;
  server.on("request", createApp({ build, origin: base }));
});

afterAll(async () => {
  await new Promise((done) => server?.close(done));
  delete (globalThis as { __binomeDb?: Promise<Db> }).__binomeDb;
  delete (globalThis as { __binomeImportDb?: Promise<Db> }).__binomeImportDb;
  db?.close();
  delete process.env.BINOME_UPLOAD_DIR;
  rmSync(dir, { recursive: true, force: true });
});

function post(path: string, body: URLSearchParams | FormData, cookie?: string) {
  const headers: Record<string, string> = { Origin: base };
  if (cookie) headers.Cookie = cookie;
  return fetch(`${base}${path}`, { method: "POST", redirect: "manual", headers, body });
}

async function signIn(username: string): Promise<string> {
  const response = await post("/login", new URLSearchParams({ username, password: PASSWORD, redirectTo: "/" }));
  expect(response.status).toBe(302);
  return (response.headers.get("set-cookie") ?? "").split(";")[0];
}

const upload = () => {
  const form = new FormData();
  form.append("files", new Blob([workbook]), "platform.xlsx");
  return form;
};
const batches = () => {
  try {
    return readdirSync(join(dir, "uploads")).filter((n) => /^[0-9a-f]{32}$/.test(n));
  } catch {
    return [];
  }
};
const presetCount = async () => (await db.all<{ n: number }>("select count(*) as n from mapping_presets"))[0].n;
const programCount = async () => (await db.all<{ n: number }>("select count(*) as n from programs where program_id = 'alpha'"))[0].n;
/** No stack trace, no server path in an answer. */
const clean = (html: string) => {
  expect(html).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.server\.ts|\/tmp\//);
};

describe("mapped web import over HTTP", () => {
  let admin = "";
  let hr = "";
  let batchId = "";

  it("a non-admin cannot upload; the admin's upload of a workbook in another layout gets the flat-en mapping proposed and previewed", async () => {
    admin = await signIn("admin");
    hr = await signIn("hr-a");
    const refused = await post("/admin/imports", upload(), hr);
    expect(refused.status).toBe(403);
    expect(batches()).toEqual([]);

    const response = await post("/admin/imports", upload(), admin);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('data-testid="mapping-step"');
    expect(html).toContain("flat-en");
    batchId = /name="batchId" value="([0-9a-f]{32})"/.exec(html)![1];
    expect(batches()).toEqual([batchId]);
    clean(html);
  });

  it("a mapping that is not JSON, or not a mapping, is refused with a clear message; confirm then refuses", async () => {
    const notJson = await post("/admin/imports", new URLSearchParams({ intent: "preview", batchId, mapping: "{ not json" }), admin);
    const html = await notJson.text();
    expect(notJson.status).toBe(422);
    expect(html).toContain("the mapping is not valid JSON");
    clean(html);

    const notMapping = await post("/admin/imports", new URLSearchParams({ intent: "preview", batchId, mapping: JSON.stringify({ binome_mapping: 1, tables: { pairs: { source: "Pairs", columns: { nope: "x" } } } }) }), admin);
    const text = await notMapping.text();
    expect(notMapping.status).toBe(422);
    expect(text).toContain("tables.pairs.columns.nope: not a column of pairs");
    expect(text).toContain("no part for the required table programs");
    clean(text);

    // The last preview was refused: nothing may be imported until a valid one.
    const confirm = await post("/admin/imports", new URLSearchParams({ intent: "confirm", batchId }), admin);
    expect(confirm.status).toBe(409);
    expect(await programCount()).toBe(0);
  });

  it("a wrong column is a problem of the user's sheet, row and header; a non-admin cannot preview, save a preset or confirm", async () => {
    const wrong = JSON.parse(JSON.stringify(PRESETS["flat-en"]));
    wrong.tables.pairs.columns.matched_at = { from: "Status", date: "MM/DD/YYYY" };
    const response = await post("/admin/imports", new URLSearchParams({ intent: "preview", batchId, mapping: JSON.stringify(wrong) }), admin);
    const html = await response.text();
    expect(response.status).toBe(422);
    expect(html).toContain("platform.xlsx [Pairs]");
    expect(html).toMatch(/Status/);

    for (const intent of ["preview", "save_preset", "confirm"]) {
      const r = await post("/admin/imports", new URLSearchParams({ intent, batchId, mapping: JSON.stringify(PRESETS["flat-en"]), presetName: "mine" }), hr);
      expect(r.status).toBe(403);
    }
    expect(await presetCount()).toBe(0);
    expect(await programCount()).toBe(0);
  });

  it("saving a preset: a shipped name or a bad mapping is refused (400), a good one saved; then preview and confirm import", async () => {
    const good = JSON.stringify(PRESETS["flat-en"]);
    const shipped = await post("/admin/imports", new URLSearchParams({ intent: "save_preset", batchId, mapping: good, presetName: "flat-en" }), admin);
    expect(shipped.status).toBe(400);
    expect(await shipped.text()).toContain("is a shipped preset");
    const bad = await post("/admin/imports", new URLSearchParams({ intent: "save_preset", batchId, mapping: "[]", presetName: "mine" }), admin);
    expect(bad.status).toBe(400);
    expect(await presetCount()).toBe(0);

    const saved = await post("/admin/imports", new URLSearchParams({ intent: "save_preset", batchId, mapping: good, presetName: "mine" }), admin);
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Saved as the preset “mine”");
    expect(await presetCount()).toBe(1);
    const audit = await db.all<{ action: string }>("select action from audit_log where action = 'manage_mapping_presets'");
    expect(audit.length).toBe(1);

    // The save also previewed the mapping (valid). A confirm that carries no mapping, or another
    // mapping than the previewed one (edited on the page after the preview), imports nothing.
    const edited = JSON.parse(good);
    edited.tables.pairs.columns.matched_at = "Status";
    for (const mapping of [null, JSON.stringify(edited), "not json"]) {
      const body = new URLSearchParams({ intent: "confirm", batchId });
      if (mapping !== null) body.set("mapping", mapping);
      const refused = await post("/admin/imports", body, admin);
      expect(refused.status).toBe(409);
      expect(await refused.text()).toContain("The mapping changed since the preview: preview again before importing.");
    }
    expect(await programCount()).toBe(0);
    // The previewed mapping (as the page sends it, indented or not): confirm imports it.
    const confirm = await post("/admin/imports", new URLSearchParams({ intent: "confirm", batchId, mapping: JSON.stringify(JSON.parse(good), null, 2) }), admin);
    expect(confirm.status).toBe(302);
    const jobUrl = confirm.headers.get("location")!;
    const jobId = new URL(jobUrl, base).searchParams.get("job")!;
    for (let i = 0; i < 100; i++) {
      const job = (await (await fetch(`${base}/api/admin/imports/${jobId}`, { headers: { Cookie: admin } })).json()) as { state: string; report: { outcome: string } | null };
      if (job.state !== "running") {
        expect(job).toMatchObject({ state: "done", report: { outcome: "imported" } });
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await programCount()).toBe(1);

    // The next upload with these headers gets the saved preset proposed.
    const again = await (await post("/admin/imports", upload(), admin)).text();
    expect(again).toMatch(/saved preset “mine”/);
  });

  it("a CSV in another layout with a quote that never closes is named with its line at upload, before any mapping", async () => {
    const form = new FormData();
    form.append("files", new Blob(['Matricule;Nom\nE1;"abc\nE2;def\n']), "suivi.csv");
    const response = await post("/admin/imports", form, admin);
    const html = await response.text();
    expect(response.status).toBe(422);
    expect(html).toMatch(/<td>suivi\.csv<\/td><td class="num">2<\/td>/);
    expect(html).toContain("unterminated quoted field");
    expect(html).not.toContain('data-testid="mapping-step"');
  });
});
