/**
 * The optional workforce file (issue 13; schema version 4): validated like every file
 * (`FILE:LINE: column: what (value)`, all or nothing), stored, a participant missing from it a
 * warning; erased, snapshotted, purged and backed up with its program.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SCHEMA_VERSION, applySchema, openDatabase, withMemoryDatabase } from "../../analytics/db/database.server.ts";
import { migrateDatabase } from "../../analytics/db/migrate.server.ts";
import { eraseParticipant, exportParticipant, findParticipant, applyErasureLedger } from "../../analytics/ops/erasure.server.ts";
import { deleteProgram, takeSnapshot, undoLastChange } from "../../analytics/ops/programs.server.ts";
import { backupDatabase, restoreDatabase } from "../../analytics/ops/backup.server.ts";
import { exportCopy, ingest, tempDir } from "./helpers.ts";
import { openFile } from "../ops/helpers.ts";

const HEADER = "program_id,person_id,org_id,birth_year,hire_date,job_level,gender,left_at,leave_reason,promoted_at,observed_until";
const workforce = (rows: string[]) => `${HEADER}\n${rows.join("\n")}\n`;
/** alpha starts 2025-01-01; P1–P4 are its participants. */
const VALID = [
  "alpha,P1,ORG1,1965,2001-03-01,5,F,,,,2026-01-01",
  "alpha,P2,ORG1,1998,2022-09-01,1,M,2025-06-30,voluntary,,2026-01-01",
  "alpha,P3,ORG2,1972,2010-01-04,4,X,,,2025-09-01,2026-01-01",
  "alpha,P4,ORG2,2001,2024-12-31,2,,2025-11-15,involuntary,,2026-01-01",
  "alpha,W1,ORG1,1980,2015-05-05,3,F,,,,2026-01-01",
];

describe("the workforce file", () => {
  it("is stored when valid; the other tables are untouched", async () => {
    await withMemoryDatabase(async (db) => {
      const result = await ingest(db, [exportCopy("basic", { "workforce.csv": workforce(VALID) })]);
      expect(result.lines).toEqual([]);
      expect(result.outcome).toBe("imported");
      expect(result.warnings.filter((w) => w.includes("workforce"))).toEqual([]);
      expect(result.rowCounts.workforce).toEqual({ before: 0, after: 5 });
      const rows = await db.all<Record<string, unknown>>("select person_id, left_at::varchar as left_at, leave_reason, promoted_at::varchar as promoted_at from workforce order by person_id");
      expect(rows[1]).toEqual({ person_id: "P2", left_at: "2025-06-30", leave_reason: "voluntary", promoted_at: null });
      expect(rows.map((r) => r.person_id)).toEqual(["P1", "P2", "P3", "P4", "W1"]);
    });
  });

  it("is optional: an export without it imports as before", async () => {
    await withMemoryDatabase(async (db) => {
      const result = await ingest(db, [exportCopy("basic")]);
      expect(result.outcome).toBe("imported");
      expect(await db.all("select count(*)::integer as n from workforce")).toEqual([{ n: 0 }]);
    });
  });

  it("reports every problem as FILE:LINE: column: what (value), and writes nothing", async () => {
    await withMemoryDatabase(async (db) => {
      const result = await ingest(db, [
        exportCopy("basic", {
          "workforce.csv": workforce([
            ...VALID,
            "alpha,W2,ORG1,1980,2025-03-01,3,F,,,,2026-01-01", // line 7: hired after the start
            "alpha,W3,ORG9,1980,2015-05-05,3,F,,,,2026-01-01", // line 8: unknown organization
            "beta,W4,ORG1,1980,2015-05-05,3,F,,,,2026-01-01", // line 9: unknown program
            "alpha,W5,ORG1,1980,2015-05-05,3,F,2024-12-01,voluntary,,2026-01-01", // line 10: left before the start
            "alpha,W6,ORG1,1980,2015-05-05,3,F,2026-02-01,voluntary,,2026-01-01", // line 11: left after the extract
            "alpha,W7,ORG1,1980,2015-05-05,3,F,2025-05-01,,,2026-01-01", // line 12: no reason
            "alpha,W8,ORG1,1980,2015-05-05,3,F,,voluntary,,2026-01-01", // line 13: reason without departure
            "alpha,W9,ORG1,1980,2015-05-05,3,F,,,2024-06-01,2026-01-01", // line 14: promoted before the start
            "alpha,W10,ORG1,1980,2015-05-05,3,F,2025-03-01,retirement,2025-04-01,2026-01-01", // line 15: promoted after leaving
            "alpha,W11,ORG1,1980,2015-05-05,3,F,,,,2024-12-01", // line 16: extract before the start
            "alpha,W1,ORG1,1925,2015-05-05,7,F,,quit,,2026-01-01", // line 17: duplicate, ranges, choice
          ]),
        }),
      ]);
      expect(result.outcome).toBe("invalid");
      const lines = result.lines.filter((l) => l.startsWith("workforce.csv"));
      expect(lines).toEqual([
        `workforce.csv:7: hire_date: after the program's start 2025-01-01 (the workforce is the people employed on that day) ("2025-03-01")`,
        `workforce.csv:8: org_id: no organization with this org_id (in organizations or already stored) ("ORG9")`,
        `workforce.csv:9: program_id: no program with this program_id in programs ("beta")`,
        `workforce.csv:10: left_at: before the program's start 2025-01-01 ("2024-12-01")`,
        `workforce.csv:11: left_at: after observed_until 2026-01-01 ("2026-02-01")`,
        `workforce.csv:12: leave_reason: required when left_at is given (voluntary, involuntary, retirement or other)`,
        `workforce.csv:13: leave_reason: given without a left_at (empty = still employed on observed_until) ("voluntary")`,
        `workforce.csv:14: promoted_at: before the program's start 2025-01-01 (the first promotion on or after the start) ("2024-06-01")`,
        `workforce.csv:15: promoted_at: after left_at 2025-03-01 ("2025-04-01")`,
        `workforce.csv:16: observed_until: before the program's start 2025-01-01 ("2024-12-01")`,
        ...result.lines.filter((l) => l.startsWith("workforce.csv:17:")),
      ]);
      const line17 = lines.filter((l) => l.startsWith("workforce.csv:17:")).join("\n");
      expect(line17).toContain("person_id: duplicate");
      expect(line17).toContain(`birth_year: out of range 1930–2010 ("1925")`);
      expect(line17).toContain(`job_level: out of range 1–5 ("7")`);
      expect(line17).toContain(`leave_reason: not one of voluntary, involuntary, retirement, other ("quit")`);
      expect(await db.all("select count(*)::integer as n from programs")).toEqual([{ n: 0 }]);
      expect(await db.all("select count(*)::integer as n from workforce")).toEqual([{ n: 0 }]);
    });
  });

  it("warns about a participant missing from the workforce, and imports", async () => {
    await withMemoryDatabase(async (db) => {
      const result = await ingest(db, [exportCopy("basic", { "workforce.csv": workforce(VALID.filter((r) => !r.startsWith("alpha,P3,"))) })]);
      expect(result.outcome).toBe("imported");
      expect(result.warnings).toContain(`participants.csv:4: participant_id: not in the workforce: left out of the impact figures ("P3")`);
    });
  });

  it("a version-3 file gets the (empty) workforce tables at version 4, then the mapping presets at 5", async () => {
    const db = await openDatabase(":memory:");
    try {
      await applySchema(db);
      await db.run("drop table ops_snapshot_workforce");
      await db.run("drop table workforce");
      await db.run("drop table program_impact");
      await db.run("drop table mapping_presets");
      await db.run("update schema_meta set schema_version = 3");
      await db.run("insert into programs values ('old', 'Old', 'intra', date '2023-01-01', date '2023-12-31', 'EUR', null)");
      const report = await migrateDatabase(db);
      expect(SCHEMA_VERSION).toBe(5);
      expect(report).toMatchObject({ from: 3, to: 5 });
      expect(report.applied.map((a) => [a.version, a.notes])).toEqual([
        [4, ["workforce: table added (empty)", "ops_snapshot_workforce: table added (empty)", "program_impact: table added (empty)"]],
        [5, ["mapping_presets: table created (saved mapping presets)"]],
      ]);
      expect(await db.all("select count(*)::integer as n from workforce")).toEqual([{ n: 0 }]);
      expect(await db.all("select count(*)::integer as n from programs")).toEqual([{ n: 1 }]);
    } finally {
      await db.close();
    }
  });
});

describe("the workforce in the data operations", () => {
  it("erasure removes a participant's and a non-participant's workforce rows, live and in snapshots; the ledger re-erases them", async () => {
    const path = join(tempDir(), "binome.duckdb");
    const handle = await openFile(path);
    try {
      const result = await ingest(handle.db, [exportCopy("basic", { "workforce.csv": workforce(VALID) })]);
      expect(result.outcome).toBe("imported");
      await takeSnapshot(handle.db, "alpha", "import");
      expect(await findParticipant(handle.db, "alpha", "P2")).toMatchObject({ participants: 1, workforce: 1, ops_snapshot_workforce: 1 });
      const access = await exportParticipant(handle.db, "alpha", "P2");
      expect(access.workforce).toMatchObject({ person_id: "P2", leave_reason: "voluntary" });
      const erased = await eraseParticipant(handle.db, "alpha", "P2");
      expect(erased.rowsRemoved).toMatchObject({ workforce: 1, ops_snapshot_workforce: 1 });
      // A person of the workforce who is not a participant is erased by person_id.
      expect((await eraseParticipant(handle.db, "alpha", "W1")).rowsRemoved).toMatchObject({ workforce: 1, ops_snapshot_workforce: 1, participants: 0 });
      expect(await handle.db.all("select person_id from workforce order by 1")).toEqual([{ person_id: "P1" }, { person_id: "P3" }, { person_id: "P4" }]);
      expect(await handle.db.all("select count(*)::integer as n from ops_snapshot_workforce where person_id in ('P2', 'W1')")).toEqual([{ n: 0 }]);
      // The ledger knows both: an older copy of the rows (a restore) is erased again.
      await handle.db.run("insert into workforce select * exclude (snapshot_id) from ops_snapshot_workforce where person_id = 'P1'");
      await handle.db.run("update workforce set person_id = 'W1' where person_id = 'P1' and rowid = (select max(rowid) from workforce)");
      expect(await applyErasureLedger(handle.db)).toBe(1);
      expect(await handle.db.all("select person_id from workforce order by 1")).toEqual([{ person_id: "P1" }, { person_id: "P3" }, { person_id: "P4" }]);
    } finally {
      handle.close();
    }
  });

  it("undo restores the workforce; a purge (deletion without undo) removes it and its snapshots; a backup carries it", async () => {
    const dir = tempDir();
    const path = join(dir, "binome.duckdb");
    let handle = await openFile(path);
    try {
      expect((await ingest(handle.db, [exportCopy("basic", { "workforce.csv": workforce(VALID) })])).outcome).toBe("imported");
    } finally {
      handle.close();
    }
    const manifest = await backupDatabase(path, join(dir, "backup"));
    expect(manifest.tables.workforce).toBe(5);
    handle = await openFile(path);
    try {
      await deleteProgram(handle.db, "alpha", { keepUndo: true });
      expect(await handle.db.all("select count(*)::integer as n from workforce")).toEqual([{ n: 0 }]);
      await undoLastChange(handle.db, "alpha");
      expect(await handle.db.all("select count(*)::integer as n from workforce")).toEqual([{ n: 5 }]);
      await takeSnapshot(handle.db, "alpha", "import");
      await deleteProgram(handle.db, "alpha", { keepUndo: false });
      expect(await handle.db.all("select (select count(*) from workforce)::integer as live, (select count(*) from ops_snapshot_workforce)::integer as kept")).toEqual([{ live: 0, kept: 0 }]);
    } finally {
      handle.close();
    }
    await restoreDatabase(join(dir, "backup"), path);
    handle = await openFile(path);
    try {
      expect(await handle.db.all("select count(*)::integer as n from workforce")).toEqual([{ n: 5 }]);
    } finally {
      handle.close();
    }
  });
});
