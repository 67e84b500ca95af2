import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { ingestExport } from "../../analytics/ingest/index.server.ts";
import { generateDemo } from "../../seeds/generate.ts";
import { insertUser, PASSWORD } from "../auth/helpers.ts";
import { startServer, type RunningServer } from "../support/server-process.ts";
import { LONG_ID, exportWithLongId, fileContains, openFile, tempDir } from "./helpers.ts";

// An erasure made in the web page is complete without stopping the server (decision 0013): the
// server rebuilds its own file, the pages wait for the swap instead of failing, and nothing
// written meanwhile is lost.
const ROOT = resolve(import.meta.dirname, "../..");
const eraseCli = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "cli/erase.ts"), ...args], { encoding: "utf8" });

let path = "";
let server: RunningServer;

beforeAll(async () => {
  const dir = tempDir();
  path = join(dir, "binome.duckdb");
  // large-demo (~2,000 participants) so that the copy takes a while, and program alpha with
  // a participant whose long id is easy to find in the file's bytes.
  const { folders } = await generateDemo({ outDir: join(dir, "demo"), programs: ["large-demo"] });
  const handle = await openFile(path);
  try {
    for (const dirToImport of [...folders.map((f) => f.dir), exportWithLongId()]) {
      expect((await ingestExport(handle.db, [dirToImport])).outcome).toBe("imported");
    }
    await insertUser(handle.db, "admin", "admin", null);
    await handle.db.run("checkpoint");
  } finally {
    handle.close();
  }
  expect(fileContains(path, LONG_ID)).toBe(true);
  server = await startServer({ BINOME_DB: path, BINOME_DEMO: "0" });
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

async function signIn(): Promise<string> {
  const response = await fetch(`${server.url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: server.origin },
    body: new URLSearchParams({ username: "admin", password: PASSWORD, redirectTo: "/" }),
  });
  expect(response.status).toBe(302);
  return (response.headers.get("set-cookie") ?? "").split(";")[0];
}

interface Read {
  path: string;
  status: number;
  startedAt: number;
  endedAt: number;
}

describe("erasure from the web page, server running", () => {
  it("rebuilds the file: the id leaves its bytes and its WAL, reads during the swap succeed, writes are kept", async () => {
    const admin = await signIn();
    const erasurePage = async () => (await fetch(`${server.url}/admin/erasure`, { headers: { Cookie: admin } })).text();
    expect(await erasurePage()).not.toContain('data-testid="erasure-complete"');

    // Readers and a writer (sign-ins write sessions) run through the whole erasure and rebuild.
    const reads: Read[] = [];
    const sessions: string[] = [];
    let stop = false;
    const loops: Promise<void>[] = [];
    // A failing assertion below stops them too, before the server does (no stray fetch errors).
    onTestFinished(async () => {
      stop = true;
      await Promise.allSettled(loops);
    });
    const reader = async (target: string) => {
      while (!stop) {
        const startedAt = Date.now();
        const response = await fetch(`${server.url}${target}`, { headers: { Cookie: admin } });
        await response.arrayBuffer();
        reads.push({ path: target, status: response.status, startedAt, endedAt: Date.now() });
      }
    };
    const writer = async () => {
      while (!stop) sessions.push(await signIn());
    };
    loops.push(reader("/healthz"), reader("/api/programs/large-demo/report.json"), reader("/healthz"), writer());

    const erase = await fetch(`${server.url}/admin/erasure`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: server.origin, Cookie: admin },
      body: new URLSearchParams({ intent: "erase", programId: "alpha", participantId: LONG_ID, confirm: LONG_ID }),
    });
    expect(erase.status).toBe(200);

    // The page reports the erasure complete (it said "rebuild pending" forever before).
    let html = "";
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      html = await erasurePage();
      if (html.includes('data-testid="erasure-complete"')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(html, "the erasure page never reported the erasure complete").toContain('data-testid="erasure-complete"');
    expect(html).not.toContain('data-testid="rebuild-pending"');
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await Promise.all(loops);

    // No byte of the id in the file or its write-ahead log, while the server still holds it.
    expect(fileContains(path, LONG_ID), "the id is still in the database file").toBe(false);
    if (existsSync(`${path}.wal`)) expect(fileContains(`${path}.wal`, LONG_ID), "the id is still in the WAL").toBe(false);

    // Every read succeeded, including the ones that waited for the swap.
    const failed = reads.filter((r) => r.status !== 200);
    expect(failed, `${JSON.stringify(failed.slice(0, 5))}\n${server.output()}`).toEqual([]);
    expect(reads.filter((r) => r.path === "/healthz").length).toBeGreaterThan(5);
    expect(reads.filter((r) => r.path.endsWith("report.json")).length).toBeGreaterThan(2);
    // The sessions made during the rebuild survived it (a write lost in the swap would sign them out).
    expect(sessions.length).toBeGreaterThan(0);
    for (const cookie of sessions) expect((await fetch(`${server.url}/account`, { redirect: "manual", headers: { Cookie: cookie } })).status).toBe(200);
    expect(server.output()).toMatch(/Rebuilt .*after an erasure.*pages held \d+ ms/);

    // The pages kept working after it, with their figures.
    const report = await fetch(`${server.url}/api/programs/large-demo/report.json`, { headers: { Cookie: admin } });
    expect(report.status).toBe(200);
    const afterReport = (await report.json()) as { program?: unknown };
    expect(afterReport).toBeTruthy();

    // The CLI refuses while the server runs, then the audit log holds the erasure and the rebuild.
    const locked = eraseCli("--db", path, "compact");
    expect(locked.status).toBe(3);
    await server.stop();
    const handle = await openFile(path);
    try {
      const audit = await handle.db.all<{ action: string; details: string }>(
        "select action, details::varchar as details from audit_log where action in ('erase_participant', 'rebuild_database') order by logged_at",
      );
      expect(audit.map((a) => a.action)).toEqual(["erase_participant", "rebuild_database"]);
      const details = JSON.parse(audit[1].details) as { pauseMs: number; heldFrom: number; pausedFrom: number; pausedUntil: number };
      // Reads were issued while the file was copied and swapped (and all succeeded, above).
      const during = reads.filter((r) => r.startedAt <= details.pausedUntil && r.endedAt >= details.heldFrom);
      expect(during.length, JSON.stringify(details)).toBeGreaterThan(0);
      expect(details.pauseMs).toBe(details.pausedUntil - details.pausedFrom);
      console.log(`rebuild: writes held ${details.pausedUntil - details.heldFrom} ms, every statement ${details.pauseMs} ms; ${during.length} reads during it, longest ${Math.max(...during.map((r) => r.endedAt - r.startedAt))} ms`);
      expect(await handle.db.all("select count(*)::integer as n from participants where participant_id = $id", { id: LONG_ID })).toEqual([{ n: 0 }]);
      expect(await handle.db.all("select count(*)::integer as n from ops_state where state_key = 'rebuild_needed_since'")).toEqual([{ n: 0 }]);
      const [{ n }] = await handle.db.all<{ n: number }>("select count(*)::integer as n from sessions");
      expect(n).toBeGreaterThanOrEqual(sessions.length);
    } finally {
      handle.close();
    }

    // With the server stopped, the CLI's compact still works (and records its rebuild).
    const compact = eraseCli("--db", path, "compact");
    expect(compact.status, compact.stderr).toBe(0);
    expect(compact.stdout).toMatch(/Rebuilt .*no bytes/);
    expect(fileContains(path, LONG_ID)).toBe(false);
  }, 180_000);
});
