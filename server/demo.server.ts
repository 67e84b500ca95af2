import { dirname, join } from "node:path";
import { bootstrapUsers } from "../analytics/auth/bootstrap.server.ts";
import type { Db } from "../analytics/db/database.server.ts";
import { loadSql } from "../analytics/db/sql-files.server.ts";

export const DEMO_PROGRAMS = ["octave-demo", "large-demo"];

/**
 * On an empty database, writes the demo exports next to the database file and imports them
 * through the normal ingestion (so the demo exercises the same code as a real import).
 * Returns the imported program ids, or [] when the database already holds programs.
 */
export async function loadDemoIfEmpty(db: Db, log: (line: string) => void): Promise<string[]> {
  const [{ n }] = await db.all<{ n: number }>(loadSql("ops/program_total"));
  if (n > 0) {
    // Real programs may be here: never demo accounts with public passwords, only a first admin.
    await bootstrapUsers(db, { demo: false, log });
    return [];
  }
  const { generateDemo } = await import("../seeds/generate.ts");
  const { formatProblem } = await import("../analytics/ingest/index.server.ts");
  const { importExport } = await import("../analytics/ops/import.server.ts");
  const outDir = join(dirname(db.path), "demo");
  log(`Empty database: generating the demo programs (${DEMO_PROGRAMS.join(", ")}) in ${outDir} …`);
  const { folders } = await generateDemo({ outDir, programs: DEMO_PROGRAMS });
  // One export per folder: each demo program is its own export, imported on its own.
  const imported: string[] = [];
  for (const folder of folders) {
    // The import every import takes: a database emptied of programs keeps its erasure ledger.
    const { result } = await importExport(db, [folder.dir]);
    if (result.outcome !== "imported") {
      const details = result.problems.slice(0, 20).map(formatProblem).join("\n");
      throw new Error(`The demo program ${folder.programId} did not import (${result.outcome}):\n${details}`);
    }
    imported.push(...result.programs.map((p) => p.program_id));
  }
  log(`Imported ${imported.join(", ")}.`);
  await bootstrapUsers(db, { demo: true, log });
  return imported;
}
