/**
 * Unexpected errors (decision 0011), against the real server started with its test-only
 * failure routes: inside a request, logged once, the generic 500 page, the process serves on;
 * outside any request, logged and a clean exit with code 1 for the supervisor.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testFaults, TEST_FAULTS_ENV } from "../../server/errors.ts";
import { removeTempDirs, tempDir } from "./support/common.ts";
import { killStartedServers, prepareDatabase, startBinome, type Server } from "./support/server.ts";

let server: Server;

beforeAll(async () => {
  const dir = tempDir();
  const dbPath = join(dir, "binome.duckdb");
  await prepareDatabase(dbPath, []);
  server = await startBinome({ BINOME_DB: dbPath, BINOME_UPLOAD_DIR: join(dir, "uploads"), [TEST_FAULTS_ENV]: "1" });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  killStartedServers();
  removeTempDirs();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { redirect: "manual", headers, signal: AbortSignal.timeout(15_000) });
const count = (text: string, needle: string) => text.split(needle).length - 1;
const settle = () => new Promise((done) => setTimeout(done, 200));

describe("an unexpected error inside a request", () => {
  for (const kind of ["throw", "reject", "emit"]) {
    it(`${kind}: the generic 500 page, logged once, and the next requests work`, async () => {
      const response = await get(`/__test/fault/${kind}?email=someone@example.org`);
      const html = await response.text();
      expect(response.status).toBe(500);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(html).toContain("Something went wrong on our side. The error has been logged; please try again.");
      expect(html).not.toMatch(/test fault|at .*\.ts|Error:/);
      await settle();
      const log = server.output();
      expect(count(log, `test fault: ${kind}`), log.slice(-3000)).toBe(1);
      expect(log).toMatch(new RegExp(`GET /__test/fault/${kind} failed: [a-z ]+: Error: test fault: ${kind}`));
      expect(log).not.toContain("someone@example.org"); // no query string in the log
      expect(server.process.exitCode).toBeNull();
      expect((await get("/healthz")).status).toBe(200);
      expect((await get("/login")).status).toBe(200);
    });
  }

  it("the page speaks the visitor's language", async () => {
    const response = await get("/__test/fault/throw", { "Accept-Language": "fr-FR,fr;q=0.9" });
    expect(response.status).toBe(500);
    expect(await response.text()).toContain("Une erreur s'est produite de notre côté.");
  });

  it("the failure routes exist only when the test environment asks for them", () => {
    const saved = process.env[TEST_FAULTS_ENV];
    delete process.env[TEST_FAULTS_ENV];
    try {
      expect(testFaults()).toBeNull();
    } finally {
      if (saved !== undefined) process.env[TEST_FAULTS_ENV] = saved;
    }
  });
});

describe("an uncaught exception outside any request", () => {
  it("is logged as fatal and the process exits cleanly with code 1", async () => {
    const response = await get("/__test/fault/outside");
    expect(response.status).toBe(202);
    const { code } = await server.exited;
    expect(code).toBe(1);
    const log = server.output();
    expect(log).toMatch(/binome: fatal: uncaught exception outside any request; stopping \(exit code 1\) for the supervisor to restart the server \(decision 0011\): Error: test fault: outside/);
    expect(count(log, "test fault: outside")).toBe(1);
  });
});
