/** `/healthz`: 200 when the database answers and its schema is current, 503 otherwise. */
import { createServer, type Server } from "node:http";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCHEMA_VERSION, applySchema, openDatabase, type Db } from "../../analytics/db/database.server.ts";
import { checkHealth } from "../../analytics/health/health.server.ts";
import { createApp } from "../../server/app.ts";

describe("checkHealth", () => {
  it("ok on a database with the current schema", async () => {
    const db = await openDatabase(":memory:");
    await applySchema(db);
    expect(await checkHealth(async () => db)).toEqual({ status: "ok", database: "open", schema_version: SCHEMA_VERSION, expected_schema_version: SCHEMA_VERSION });
    await db.run("update schema_meta set schema_version = $v", { v: SCHEMA_VERSION + 1 });
    expect(await checkHealth(async () => db)).toMatchObject({ status: "error", database: "open", schema_version: SCHEMA_VERSION + 1 });
    await db.run("delete from schema_meta");
    expect(await checkHealth(async () => db)).toMatchObject({ status: "error", database: "open", schema_version: null, problem: "the database has no schema version" });
    db.close();
  });

  it("unavailable when the database cannot be opened, is closed, or does not answer in time", async () => {
    const failing = await checkHealth(async () => {
      throw new Error("IO Error: Could not set lock on file /secret/path/binome.duckdb");
    });
    expect(failing).toEqual({ status: "error", database: "unavailable", schema_version: null, expected_schema_version: SCHEMA_VERSION, problem: "the database cannot be queried" });
    const db = await openDatabase(":memory:");
    db.close();
    expect(await checkHealth(async () => db)).toMatchObject({ status: "error", database: "unavailable" });
    const hanging = await checkHealth(() => new Promise<Db>(() => undefined), 100);
    expect(hanging).toMatchObject({ status: "error", database: "unavailable", problem: "the database did not answer within 100 ms" });
  });
});

describe("GET /healthz", () => {
  let server: Server;
  let base: string;
  let db: Db;

  beforeAll(async () => {
    db = await openDatabase(":memory:");
    await applySchema(db);
    (globalThis as { __binomeDb?: Promise<Db> }).__binomeDb = Promise.resolve(db);
    const build = (await import(pathToFileURL(resolve("build/server/index.js")).href)) as ServerBuild;
    server = createServer();
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    server.on("request", createApp({ build, origin: base }));
  });

  afterAll(async () => {
    await new Promise((done) => server?.close(done));
    delete (globalThis as { __binomeDb?: Promise<Db> }).__binomeDb;
    db?.close();
  });

  it("answers 200 without sign-in, uncached, with no personal data", async () => {
    const response = await fetch(`${base}/healthz`, { redirect: "manual" });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await response.json()).toEqual({ status: "ok", database: "open", schema_version: SCHEMA_VERSION, expected_schema_version: SCHEMA_VERSION });
  });

  it("answers 503 when the schema is not current", async () => {
    await db.run("update schema_meta set schema_version = 0");
    try {
      const response = await fetch(`${base}/healthz`);
      expect(response.status).toBe(503);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(await response.json()).toMatchObject({ status: "error", database: "open", schema_version: 0, expected_schema_version: SCHEMA_VERSION });
    } finally {
      await db.run("update schema_meta set schema_version = $v", { v: SCHEMA_VERSION });
    }
  });
});
