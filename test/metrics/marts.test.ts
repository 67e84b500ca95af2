// The materialized marts follow the data: a re-import or a direct write refreshes them.
import { cpSync, appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, openDatabase, type Db } from "../../analytics/db/database.server.ts";
import { ingestExport } from "../../analytics/ingest/index.server.ts";
import { getProgramReport } from "../../analytics/metrics/report.server.ts";
import { FIXTURES, loadFixture } from "./helpers.ts";

let db: Db;
let dir: string;
beforeAll(async () => {
  db = await openDatabase(":memory:");
  await applySchema(db);
  await loadFixture(db, "pilot");
  dir = mkdtempSync(join(tmpdir(), "binome-metrics-marts-"));
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("materialized marts", () => {
  it("are rebuilt after a re-import of the program", async () => {
    const before = await getProgramReport(db, "P2", { asOf: "2025-06-15" });
    expect(before!.participants.total).toBe(3);
    const copy = join(dir, "pilot");
    cpSync(FIXTURES.pilot, copy, { recursive: true });
    appendFileSync(join(copy, "participants.csv"), "E3,P2,ORG-D,mentee,2003,F,1,Geneva,fr,,2025-02-03,\n");
    expect((await ingestExport(db, [copy])).outcome).toBe("imported");
    const after = await getProgramReport(db, "P2", { asOf: "2025-06-15" });
    // One more unmatched mentee: 4 people, 3 mentees, 1 matched → match rate 1/3.
    expect([after!.participants.total, after!.participants.mentees, after!.pairs.match_rate]).toEqual([4, 3, 1 / 3]);
  });

  it("are rebuilt after a write made outside an import", async () => {
    await db.run("delete from participants where program_id = 'P2' and participant_id = 'E3'");
    const report = await getProgramReport(db, "P2", { asOf: "2025-06-15" });
    expect(report!.participants.total).toBe(3);
  });

  it("serve concurrent reports consistently", async () => {
    const reports = await Promise.all(
      ["hr", "admin", "rse", "admin"].map((audience) =>
        getProgramReport(db, "P2", { asOf: "2025-06-15", audience: audience as "hr" }),
      ),
    );
    expect(reports.map((r) => r!.participants.total)).toEqual([3, 3, 3, 3]);
    expect(reports[1]).toEqual(reports[3]);
  });
});
