import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { applySchema, openDatabase, type Db } from "../../analytics/db/database.server.ts";
import { ingestExport } from "../../analytics/ingest/index.server.ts";
import { generateDemo } from "../../seeds/generate.ts";

export interface DemoDatabase {
  db: Db;
  /** The generated export folders, in the order they were imported. */
  programIds: string[];
  close(): void;
}

/** An in-memory database holding the demo programs, imported as an operator would (each import must succeed). */
export async function openDemoDatabase(programs: string[], prefix = "binome-demo-"): Promise<DemoDatabase> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const { folders } = await generateDemo({ outDir: dir, programs });
  const db = await openDatabase(":memory:");
  await applySchema(db);
  for (const folder of folders) expect((await ingestExport(db, [folder.dir])).outcome).toBe("imported");
  return {
    db,
    programIds: folders.map((f) => f.programId),
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
