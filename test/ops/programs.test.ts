import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { withMemoryDatabase, type Db } from "../../analytics/db/database.server.ts";
import { ingestExport } from "../../analytics/ingest/index.server.ts";
import { deleteProgram, listDeletedPrograms, listProgramsForAdmin, takeSnapshot, undoLastChange } from "../../analytics/ops/programs.server.ts";
import { exportCopy, snapshot } from "../ingest/helpers.ts";

const BASIC = resolve(import.meta.dirname, "../fixtures/exports/basic");

async function imported(db: Db, dir: string) {
  const result = await ingestExport(db, [dir]);
  expect(result.outcome).toBe("imported");
}

describe("program operations", () => {
  it("undo restores the rows a replacing import changed", async () => {
    await withMemoryDatabase(async (db) => {
      await imported(db, BASIC);
      const before = await snapshot(db);
      await takeSnapshot(db, "alpha", "import");
      const pairs = (await import("node:fs")).readFileSync(resolve(BASIC, "pairs.csv"), "utf8").replace(",0.8,", ",0.9,");
      await imported(db, exportCopy("basic", { "pairs.csv": pairs }));
      expect(await snapshot(db)).not.toEqual(before);
      const { restoredProgram } = await undoLastChange(db, "alpha");
      expect(restoredProgram).toBe(true);
      expect(await snapshot(db)).toEqual(before);
      await expect(undoLastChange(db, "alpha")).rejects.toThrow(/Nothing to undo/);
    });
  });

  it("undo of an import that added a program deletes it", async () => {
    await withMemoryDatabase(async (db) => {
      await takeSnapshot(db, "alpha", "import");
      await imported(db, BASIC);
      await undoLastChange(db, "alpha");
      expect(await db.all("select * from programs")).toEqual([]);
      expect(await db.all("select * from participants")).toEqual([]);
    });
  });

  it("deletion keeps an undo snapshot on request; a purge keeps nothing", async () => {
    await withMemoryDatabase(async (db) => {
      await imported(db, BASIC);
      const before = await snapshot(db);
      const { rowsRemoved } = await deleteProgram(db, "alpha", { keepUndo: true });
      expect(rowsRemoved).toBeGreaterThan(10);
      expect(await listProgramsForAdmin(db)).toEqual([]);
      expect((await listDeletedPrograms(db)).map((s) => s.program_id)).toEqual(["alpha"]);
      await undoLastChange(db, "alpha");
      expect(await snapshot(db)).toEqual(before);
      await deleteProgram(db, "alpha", { keepUndo: false });
      expect(await listDeletedPrograms(db)).toEqual([]);
      expect(await db.all("select * from ops_snapshot_participants")).toEqual([]);
      await expect(deleteProgram(db, "alpha", { keepUndo: false })).rejects.toThrow(/no program alpha/);
    });
  });
});

describe("undo and the identical-import check", () => {
  it("after undoing an import, importing the same files again is a real import", async () => {
    await withMemoryDatabase(async (db) => {
      await imported(db, BASIC);
      const changed = exportCopy("basic", { "pairs.csv": (await import("node:fs")).readFileSync(resolve(BASIC, "pairs.csv"), "utf8").replace(",0.8,", ",0.9,") });
      await takeSnapshot(db, "alpha", "import");
      const result = await ingestExport(db, [changed]);
      await db.run("update ops_snapshots set import_id = $id", { id: result.importId });
      await undoLastChange(db, "alpha");
      expect(await db.all("select status from imports where import_id = $id", { id: result.importId })).toEqual([{ status: "undone" }]);
      expect((await ingestExport(db, [changed])).outcome).toBe("imported");
      expect(await db.all("select match_score from pairs where pair_id = 'B1'")).toEqual([{ match_score: 0.9 }]);
    });
  });
});

describe("snapshot pruning", () => {
  it("keeps the newest snapshots of a program only", async () => {
    await withMemoryDatabase(async (db) => {
      await imported(db, BASIC);
      for (let i = 0; i < 5; i++) await takeSnapshot(db, "alpha", "import");
      expect((await db.all<{ snapshot_id: number }>("select snapshot_id from ops_snapshots order by 1")).map((r) => r.snapshot_id)).toEqual([3, 4, 5]);
      expect(await db.all("select distinct snapshot_id from ops_snapshot_participants order by 1")).toEqual([{ snapshot_id: 3 }, { snapshot_id: 4 }, { snapshot_id: 5 }]);
    });
  });
});
