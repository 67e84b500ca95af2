import { describe, expect, it } from "vitest";
import { withMemoryDatabase } from "../../analytics/db/database.server.ts";
import { exportCopy, ingest, snapshot } from "./helpers.ts";

/** A second program, "beta", reusing alpha's participant, topic, pair and meeting ids. */
const BETA = {
  "programs.csv": "program_id,name,kind,start_date,end_date\nbeta,Beta,inter,2025-03-01,2025-12-31\n",
  "participants.csv":
    "participant_id,program_id,org_id,role,birth_year,joined_at,topics\nP1,beta,ORG2,mentor,1960,2025-03-01,T1\nP2,beta,ORG3,mentee,1995,2025-03-01,\n",
  "organizations.csv": "org_id,name,sector\nORG2,Skyward,Space\nORG3,Third Co,\n",
  "topics.csv": "topic_id,program_id,name,category\nT1,beta,Networking,other\n",
  "pairs.csv": "pair_id,program_id,mentor_id,mentee_id,matched_at,status\nB1,beta,P1,P2,2025-03-02,active\n",
  "meetings.csv": "meeting_id,pair_id,date,mode,duration_minutes\nM1,B1,2025-03-10,online,30\n",
  "pair_topics.csv": null,
  "evaluations.csv": null,
  "costs.csv": "program_id,date,category,amount,currency\nbeta,2025-03-01,subscription,100,EUR\n",
};

describe("re-import: snapshots replace a program atomically", () => {
  it("reports identical files as a no-op, logged as such", async () => {
    await withMemoryDatabase(async (db) => {
      const dir = exportCopy("basic");
      const first = await ingest(db, [dir]);
      expect(first).toMatchObject({ outcome: "imported", importId: 1, programs: [{ program_id: "alpha", action: "added" }] });
      expect(first.rowCounts.meetings).toEqual({ before: 0, after: 3 });
      const before = await snapshot(db);
      const again = await ingest(db, [exportCopy("basic")]);
      expect(again).toMatchObject({ outcome: "noop", importId: 2, programs: [{ program_id: "alpha", action: "unchanged" }], problems: [] });
      expect(again.rowCounts.meetings).toEqual({ before: 3, after: 3 });
      expect(await snapshot(db)).toEqual(before);
      expect(await db.all("select import_id, status from imports order by 1")).toEqual([
        { import_id: 1, status: "succeeded" },
        { import_id: 2, status: "noop" },
      ]);
    });
  });

  it("replaces a program's rows on re-import and leaves other programs alone, even with the same ids", async () => {
    await withMemoryDatabase(async (db) => {
      await ingest(db, [exportCopy("basic")]);
      const beta = await ingest(db, [exportCopy("basic", BETA)]);
      expect(beta.outcome).toBe("imported");
      expect(beta.rowCounts.organizations).toEqual({ before: 2, after: 3 });
      const alphaBefore = await db.all("select * from meetings where program_id = 'alpha' order by all");
      // A new snapshot of alpha: one meeting less, a changed duration.
      const alpha2 = await ingest(db, [
        exportCopy("basic", { "meetings.csv": "meeting_id,pair_id,date,mode,duration_minutes\nM1,B1,2025-02-01,offline,75\nM3,B2,2025-02-03,offline,90\n" }),
      ]);
      expect(alpha2).toMatchObject({ outcome: "imported", programs: [{ program_id: "alpha", action: "replaced" }] });
      expect(alpha2.rowCounts.meetings).toEqual({ before: 3, after: 2 });
      expect(alphaBefore).toHaveLength(3);
      expect(await db.all("select program_id, meeting_id, pair_id, duration_minutes from meetings order by all")).toEqual([
        { program_id: "alpha", meeting_id: "M1", pair_id: "B1", duration_minutes: 75 },
        { program_id: "alpha", meeting_id: "M3", pair_id: "B2", duration_minutes: 90 },
        { program_id: "beta", meeting_id: "M1", pair_id: "B1", duration_minutes: 30 },
      ]);
      expect(await db.all("select program_id, participant_id, role from participants where participant_id = 'P1' order by all")).toEqual([
        { program_id: "alpha", participant_id: "P1", role: "mentor" },
        { program_id: "beta", participant_id: "P1", role: "mentor" },
      ]);
      // Organizations are shared: updated by org_id, never removed.
      expect(await db.all("select * from organizations order by all")).toEqual([
        { org_id: "ORG1", name: "Dana Foods", sector: "Food" },
        { org_id: "ORG2", name: "Skyward", sector: "Aerospace" },
        { org_id: "ORG3", name: "Third Co", sector: null },
      ]);
    });
  });

  it("imports an export holding two programs", async () => {
    await withMemoryDatabase(async (db) => {
      const both = exportCopy("basic", {
        "programs.csv": "program_id,name,kind,start_date,end_date\nalpha,Alpha,intra,2025-01-01,2025-12-31\nbeta,Beta,inter,2025-01-01,2025-12-31\n",
        "pairs.csv": "pair_id,program_id,mentor_id,mentee_id,matched_at,status\nB1,alpha,P1,P2,2025-01-15,active\nB2,beta,P3,P4,2025-01-15,active\n",
        "participants.csv":
          "participant_id,program_id,org_id,role,birth_year,joined_at,topics\nP1,alpha,ORG1,mentor,1965,2025-01-05,T1\nP2,alpha,ORG1,mentee,1998,2025-01-05,\nP3,beta,ORG2,mentor,1972,2025-01-06,\nP4,beta,ORG2,mentee,2001,2025-01-06,\n",
        "topics.csv": "topic_id,program_id,name,category\nT1,alpha,Key people,onboarding\nT2,beta,Social networks,digital\n",
        "pair_topics.csv": "pair_id,topic_id\nB1,T1\nB2,T2\n",
      });
      const result = await ingest(db, [both]);
      expect(result.lines).toEqual([]);
      expect(result.programs).toEqual([
        { program_id: "alpha", action: "added" },
        { program_id: "beta", action: "added" },
      ]);
      expect(await db.all("select program_id, count(*) as n from meetings group by 1 order by 1")).toEqual([
        { program_id: "alpha", n: 2 },
        { program_id: "beta", n: 1 },
      ]);
    });
  });

  it("refuses to empty a stored program's table unless allowEmptying", async () => {
    await withMemoryDatabase(async (db) => {
      await ingest(db, [exportCopy("basic")]);
      const before = await snapshot(db);
      const partial = exportCopy("basic", { "evaluations.csv": null, "costs.csv": "program_id,date,category,amount,currency\n" });
      const refused = await ingest(db, [partial]);
      expect(refused.outcome).toBe("refused");
      expect(refused.lines).toEqual([
        "evaluations: program alpha has 2 stored rows and none in this export: refusing to empty the table (use --allow-emptying to do it)",
        "costs.csv: program alpha has 2 stored rows and none in this export: refusing to empty the table (use --allow-emptying to do it)",
      ]);
      expect(await snapshot(db)).toEqual(before);
      const allowed = await ingest(db, [partial], { allowEmptying: true });
      expect(allowed.outcome).toBe("imported");
      expect(allowed.rowCounts.evaluations).toEqual({ before: 2, after: 0 });
      expect(await db.all("select count(*) as n from costs")).toEqual([{ n: 0 }]);
      expect(await db.all("select status from imports order by import_id")).toEqual([{ status: "succeeded" }, { status: "refused" }, { status: "succeeded" }]);
    });
  });

  it("writes nothing on a dry run, not even the imports log, and reports the projected counts", async () => {
    await withMemoryDatabase(async (db) => {
      const result = await ingest(db, [exportCopy("basic")], { dryRun: true });
      expect(result).toMatchObject({ outcome: "dry_run", importId: null, programs: [{ program_id: "alpha", action: "added" }] });
      expect(result.rowCounts.participants).toEqual({ before: 0, after: 4 });
      expect(await snapshot(db)).toEqual(await withMemoryDatabase(snapshot));
      expect(await db.all("select * from imports")).toEqual([]);
    });
  });

  it("leaves every table but imports unchanged when the export has an error in its last file", async () => {
    await withMemoryDatabase(async (db) => {
      await ingest(db, [exportCopy("basic")]);
      const before = await snapshot(db);
      const changed = exportCopy("basic", {
        "meetings.csv": "meeting_id,pair_id,date,mode,duration_minutes\nM9,B1,2025-02-01,offline,60\n",
        "costs.csv": "program_id,org_id,date,category,amount,currency\nalpha,ORG1,2025-01-01,subscription,lots,EUR\n",
      });
      const result = await ingest(db, [changed]);
      expect(result.lines).toEqual(['costs.csv:2: amount: not a number (decimal mark . or , and thousands separated by spaces only) ("lots")']);
      expect(await snapshot(db)).toEqual(before);
    });
  });

  it("rolls back every statement when one fails inside the transaction, and logs the attempt as failed", async () => {
    await withMemoryDatabase(async (db) => {
      await ingest(db, [exportCopy("basic")]);
      const before = await snapshot(db);
      // Make the last insert of the transaction (costs) fail after all the deletes and other inserts.
      await db.run("alter table costs add column must_have integer default 1");
      await db.run("alter table costs alter column must_have drop default");
      await db.run("alter table costs alter column must_have set not null");
      const changed = exportCopy("basic", { "meetings.csv": "meeting_id,pair_id,date,mode,duration_minutes\nM9,B1,2025-02-01,offline,60\n" });
      await expect(ingest(db, [changed])).rejects.toThrow(/NOT NULL/i);
      await db.run("alter table costs drop column must_have");
      expect(await snapshot(db)).toEqual(before);
      expect(await db.all("select status from imports order by import_id")).toEqual([{ status: "succeeded" }, { status: "failed" }]);
      // The connection is usable afterwards (no transaction left open).
      expect((await ingest(db, [changed])).outcome).toBe("imported");
    });
  });
});
