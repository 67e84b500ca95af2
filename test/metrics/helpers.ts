import { fileURLToPath } from "node:url";
import { applySchema, openDatabase, type Db } from "../../analytics/db/database.server.ts";
import { formatProblem, ingestExport } from "../../analytics/ingest/index.server.ts";

/** The hand-made exports: `octave` (program P1) and `pilot` (program P2, same ids as P1). */
export const FIXTURES = {
  octave: fileURLToPath(new URL("../fixtures/metrics/octave", import.meta.url)),
  pilot: fileURLToPath(new URL("../fixtures/metrics/pilot", import.meta.url)),
} as const;

/** Imports one fixture export into `db` through the real ingestion. */
export async function loadFixture(db: Db, name: keyof typeof FIXTURES): Promise<void> {
  const result = await ingestExport(db, [FIXTURES[name]]);
  if (result.outcome !== "imported") {
    throw new Error(`fixture ${name}: ${result.outcome}\n${result.problems.map(formatProblem).join("\n")}`);
  }
}

/** An in-memory database holding both fixture exports. */
export async function openFixtureDb(): Promise<Db> {
  const db = await openDatabase(":memory:");
  await applySchema(db);
  await loadFixture(db, "octave");
  await loadFixture(db, "pilot");
  return db;
}
