// The materialized marts follow the data: a re-import or a direct write refreshes them.
import { cpSync, appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, openDatabase, type Db } from "../../analytics/db/database.server.ts";
import { ingestExport } from "../../analytics/ingest/index.server.ts";
import { getProgramReport } from "../../analytics/report/report.server.ts";
import { applyMetricViews, invalidateMetricMarts, withProgramMarts } from "../../analytics/metrics/schema.server.ts";
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

  it("survive the layers being applied again (prepared statements rebind)", async () => {
    const before = await getProgramReport(db, "P2", { asOf: "2025-06-15" });
    await applyMetricViews(db);
    expect(await getProgramReport(db, "P2", { asOf: "2025-06-15" })).toEqual(before);
  });

  it("handle a program with people but no pair yet: counts are 0, rates null", async () => {
    await db.run("insert into programs (program_id, name, kind, start_date, end_date, currency) values ('P0', 'Empty', 'intra', date '2025-01-01', date '2025-12-31', 'EUR')");
    await db.run(
      `insert into participants values
         ('P0', 'M1', 'ORG-A', 'mentor', 1970, 'F', null, null, null, null, date '2025-01-01', null),
         ('P0', 'E1', 'ORG-A', 'mentee', 2000, 'M', null, null, null, null, date '2025-01-01', null)`,
    );
    const r = (await getProgramReport(db, "P0", { asOf: "2025-03-01" }))!;
    expect(r.participants).toEqual({ total: 2, mentors: 1, mentees: 1, matched_mentees: 0, organizations: 1 });
    expect(r.pairs).toEqual({ total: 0, active: 0, completed: 0, ended_early: 0, reverse: 0, match_rate: 0 });
    expect(r.quality).toEqual({
      midpoint_satisfaction_mean: null,
      final_satisfaction_mean: null,
      midpoint_response_rate: null,
      midpoint_flagged_pairs: 0,
      at_risk_pairs: 0,
      meeting_regularity: null,
      early_termination_rate: null,
    });
    expect(r.topics).toEqual({ targeted: 0, acquired: 0, completion_rate: null, median_days_to_acquire: null });
    expect(r.generations).toEqual({
      participants_by_generation: { boomers: 0, gen_x: 1, millennials: 0, gen_z: 1 },
      cross_generation_pair_rate: null,
      median_age_gap_years: null,
      outside_core_share: 1, // ages 55 and 25 at start: both outside the 30–50 core
    });
    expect(r.costs.total).toBeNull();
    // January to March (as_of): no pair active, nobody; rates of nothing are null.
    expect(r.breakdowns.by_month.map((m) => [m.group, m.participants, m.pairs, m.completion_rate])).toEqual([
      ["2025-01", 0, 0, null],
      ["2025-02", 0, 0, null],
      ["2025-03", 0, 0, null],
    ]);
  });

  it("let a caller holding the marts ask for a report (no waiting for itself)", async () => {
    const total = await withProgramMarts(db, "P2", async () => {
      const report = await getProgramReport(db, "P1x", { asOf: "2025-06-15" }); // unknown: null
      const p2 = await getProgramReport(db, "P2", { asOf: "2025-06-15" });
      return [report, p2!.participants.total];
    });
    expect(total).toEqual([null, 3]);
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

  it("are refreshed while other requests use the connection, even one whose statement fails", async () => {
    // The server's connection is shared: a refresh runs between other requests' statements
    // (sessions, the programs list). None of them may break it, nor be broken by it.
    await db.run("insert into participants values ('P2', 'E9', 'ORG-D', 'mentee', 2001, 'F', null, null, null, null, date '2025-02-03', null)");
    const report = getProgramReport(db, "P2", { asOf: "2025-06-15" });
    let done = false;
    void report.finally(() => (done = true)).catch(() => undefined);
    // Statements of other requests, one after the other, until the report is ready; every
    // third one fails.
    const outcomes: string[] = [];
    for (let i = 0; !done && i < 2000; i++) {
      const sql = i % 3 === 1 ? "select cast(v as integer) as n from (values ('not a number')) t(v)" : "select count(*) as n from programs";
      outcomes.push(await db.all(sql).then(() => "ok", () => "failed"));
    }
    expect(outcomes.length).toBeGreaterThan(3);
    expect(outcomes.filter((o, i) => o !== (i % 3 === 1 ? "failed" : "ok"))).toEqual([]);
    expect((await report)!.participants.total).toBe(4);
    await db.run("delete from participants where program_id = 'P2' and participant_id = 'E9'");
    expect((await getProgramReport(db, "P2", { asOf: "2025-06-15" }))!.participants.total).toBe(3);
  });

  it("are refreshed on every connection of the file when one of them invalidates them", async () => {
    const other = await openDatabase(join(dir, "two-connections.duckdb"));
    try {
      await applySchema(other);
      await loadFixture(other, "pilot");
      const second = await other.connectAgain();
      try {
        expect((await getProgramReport(other, "P2", { asOf: "2025-06-15" }))!.pairs.total).toBe(1);
        // A write on the second connection that keeps the participant and pair counts (as an
        // undo restoring an earlier snapshot may), then its invalidation there.
        await second.run("update pairs set status = 'ended_early', end_reason = 'moved' where program_id = 'P2'");
        expect((await getProgramReport(other, "P2", { asOf: "2025-06-15" }))!.pairs.ended_early).toBe(0);
        invalidateMetricMarts(second, "P2");
        expect((await getProgramReport(other, "P2", { asOf: "2025-06-15" }))!.pairs.ended_early).toBe(1);
      } finally {
        second.close();
      }
    } finally {
      other.close();
    }
  });
});
