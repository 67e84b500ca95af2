/**
 * programs.previous_program_id (issue 15; schema version 3): the previous edition of a program,
 * optional, checked at import (not itself, known in the export or the database, starting
 * earlier) and stored.
 */
import { describe, expect, it } from "vitest";
import { SCHEMA_VERSION, applySchema, openDatabase, withMemoryDatabase } from "../../analytics/db/database.server.ts";
import { migrateDatabase } from "../../analytics/db/migrate.server.ts";
import { exportCopy, ingest } from "./helpers.ts";

const programs = (rows: string[]) => `program_id,name,kind,start_date,end_date,currency,previous_program_id\n${rows.join("\n")}\n`;

describe("programs.previous_program_id", () => {
  it("is stored when it names an earlier program of the export, and empty when absent", async () => {
    await withMemoryDatabase(async (db) => {
      const dir = exportCopy("basic", {
        "programs.csv": programs(["alpha,Alpha 2025,intra,2025-01-01,2025-12-31,EUR,alpha-2024", "alpha-2024,Alpha 2024,intra,2024-01-01,2024-12-31,EUR,"]),
      });
      const result = await ingest(db, [dir]);
      expect(result.lines).toEqual([]);
      expect(await db.all("select program_id, previous_program_id from programs order by program_id")).toEqual([
        { program_id: "alpha", previous_program_id: "alpha-2024" },
        { program_id: "alpha-2024", previous_program_id: null },
      ]);
    });
  });

  it("is refused when it is the program itself, unknown, or does not start earlier", async () => {
    await withMemoryDatabase(async (db) => {
      for (const [row, message] of [
        ["alpha,Alpha 2025,intra,2025-01-01,2025-12-31,EUR,alpha", "a program cannot be its own previous edition"],
        ["alpha,Alpha 2025,intra,2025-01-01,2025-12-31,EUR,nowhere", "no program with this program_id in the export or the database"],
      ] as const) {
        const result = await ingest(db, [exportCopy("basic", { "programs.csv": programs([row]) })]);
        expect(result.lines.join("\n")).toContain(message);
      }
      const later = await ingest(db, [
        exportCopy("basic", { "programs.csv": programs(["alpha,Alpha 2025,intra,2025-01-01,2025-12-31,EUR,alpha-2026", "alpha-2026,Alpha 2026,intra,2026-01-01,2026-12-31,EUR,"]) }),
      ]);
      expect(later.lines.join("\n")).toContain("the previous edition must start before this program");
      expect(await db.all("select count(*)::integer as n from programs")).toEqual([{ n: 0 }]);
    });
  });

  it("is added, empty, when a version-2 file is upgraded", async () => {
    const db = await openDatabase(":memory:");
    try {
      await applySchema(db);
      await db.run("alter table programs drop column previous_program_id");
      await db.run("update schema_meta set schema_version = 2");
      await db.run("insert into programs values ('old', 'Old', 'intra', date '2023-01-01', date '2023-12-31', 'EUR')");
      const report = await migrateDatabase(db);
      expect(report).toMatchObject({ from: 2, to: SCHEMA_VERSION });
      expect(SCHEMA_VERSION).toBe(5); // 4: workforce and program_impact (issue 13); 5: mapping_presets (issue 17)
      expect(report.applied.map((a) => a.notes).flat()).toContain("programs.previous_program_id added (empty for the existing rows)");
      expect(await db.all("select program_id, previous_program_id from programs")).toEqual([{ program_id: "old", previous_program_id: null }]);
    } finally {
      await db.close();
    }
  });
});
