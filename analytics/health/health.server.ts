import type { Db } from "../db/database.server.ts";
import { SCHEMA_VERSION } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";

/** What `/healthz` answers: no personal data, only whether the database can serve. */
export interface Health {
  status: "ok" | "error";
  database: "open" | "unavailable";
  schema_version: number | null;
  expected_schema_version: number;
  /** Why the status is not ok (never a stack or a path). */
  problem?: string;
}

/** How long the database may take to answer `select` before the check says it is unavailable. */
export const HEALTH_TIMEOUT_MS = 2_000;

/**
 * Checks that the database can be queried and that its schema is the one this code writes.
 * `getDb` may reject (the file could not be opened); the query is bounded in time.
 */
export async function checkHealth(getDb: () => Promise<Db>, timeoutMs = HEALTH_TIMEOUT_MS): Promise<Health> {
  const expected = SCHEMA_VERSION;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`the database did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const rows = await Promise.race([
      (async () => {
        const db = await getDb();
        return db.all<{ v: number | null }>(loadSql("db/schema_version"));
      })(),
      timeout,
    ]);
    const version = rows[0]?.v ?? null;
    if (version !== expected) {
      return {
        status: "error",
        database: "open",
        schema_version: version,
        expected_schema_version: expected,
        problem: version === null ? "the database has no schema version" : `the database schema is version ${version}, this server expects ${expected}`,
      };
    }
    return { status: "ok", database: "open", schema_version: version, expected_schema_version: expected };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: "error",
      database: "unavailable",
      schema_version: null,
      expected_schema_version: expected,
      // Not DuckDB's message: it can name files and this endpoint needs no sign-in.
      problem: /did not answer within/.test(message) ? message : "the database cannot be queried",
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The HTTP answer: 200 when healthy, 503 otherwise; never cached. */
export function healthResponse(health: Health): Response {
  return Response.json(health, {
    status: health.status === "ok" ? 200 : 503,
    headers: { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" },
  });
}
