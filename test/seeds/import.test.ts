import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { withMemoryDatabase } from "../../analytics/db/database.server.ts";
import { formatProblem, ingestExport } from "../../analytics/ingest/index.server.ts";
import { generateDemo } from "../../seeds/generate.ts";

const root = mkdtempSync(join(tmpdir(), "binome-seeds-import-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the demo exports through the real ingestion", () => {
  it("imports octave-demo and large-demo with no problem and every row", async () => {
    const { folders, summaries } = await generateDemo({ outDir: root });
    await withMemoryDatabase(async (db) => {
      // One export per folder: the ingestion reads the paths of one call as one export.
      for (const folder of folders) {
        const result = await ingestExport(db, [folder.dir]);
        expect(result.problems.map(formatProblem), folder.programId).toEqual([]);
        expect(result.warnings, folder.programId).toEqual([]);
        expect(result.outcome, folder.programId).toBe("imported");
      }
      for (const summary of summaries) {
        for (const [table, rows] of Object.entries(summary.rows)) {
          if (table === "organizations") continue;
          const [{ n }] = await db.all<{ n: number }>(`select count(*) as n from ${table} where program_id = $program`, {
            program: summary.programId,
          });
          expect(n, `${summary.programId}.${table}`).toBe(rows);
        }
      }
      // The French quirks arrive as values, not as text.
      const [cost] = await db.all<{ total: number }>("select sum(amount) as total from costs where program_id = 'octave-demo'");
      expect(cost.total % 1).not.toBe(0);
      const comments = await db.all<{ comment: string }>("select comment from evaluations where comment like '%€%' or comment like '%' || chr(10) || '%'");
      expect(comments.length).toBeGreaterThanOrEqual(2);
      const [dates] = await db.all<{ first: string }>("select min(matched_at) as first from pairs where program_id = 'octave-demo'");
      expect(dates.first).toBe("2025-10-01");
    });
  });
});
