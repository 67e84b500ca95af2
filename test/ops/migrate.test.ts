import { describe, expect, it } from "vitest";
import { SCHEMA_VERSION, applySchema, openDatabase, type Db } from "../../analytics/db/database.server.ts";
import { MigrationError, migrateDatabase, type Migration } from "../../analytics/db/migrate.server.ts";
import { loadSql } from "../../analytics/db/sql-files.server.ts";

/**
 * A file as an older Binôme (before schema versions) wrote it: no schema_meta, no imports log,
 * participants without trained_at and pairs without reverse_since.
 */
async function olderFile(): Promise<Db> {
  const db = await openDatabase(":memory:");
  await db.run(`create table programs (program_id varchar not null, name varchar not null, kind varchar not null, start_date date not null, end_date date not null, currency varchar not null)`);
  await db.run(`create table organizations (org_id varchar not null, name varchar not null, sector varchar)`);
  await db.run(`create table participants (program_id varchar not null, participant_id varchar not null, org_id varchar not null, role varchar not null,
    birth_year integer not null, gender varchar, job_level integer, city varchar, languages varchar[], topics varchar[], joined_at date not null)`);
  await db.run(`create table pairs (program_id varchar not null, pair_id varchar not null, mentor_id varchar not null, mentee_id varchar not null,
    matched_at date not null, ended_at date, status varchar not null, end_reason varchar, match_score double)`);
  await db.run(`insert into programs values ('old', 'Old 2023', 'intra', '2023-01-01', '2023-12-31', 'EUR')`);
  await db.run(`insert into organizations values ('ORG1', 'Dana', null)`);
  await db.run(`insert into participants values ('old', 'P1', 'ORG1', 'mentor', 1970, 'F', 4, 'Lyon', ['fr'], null, '2023-01-02'),
    ('old', 'P2', 'ORG1', 'mentee', 1999, 'M', 1, 'Lyon', ['fr'], null, '2023-01-02')`);
  await db.run(`insert into pairs values ('old', 'B1', 'P1', 'P2', '2023-01-10', null, 'active', null, 0.7)`);
  return db;
}

describe("schema migrations", () => {
  it("upgrades a file made by an older version, keeping every row", async () => {
    const db = await olderFile();
    try {
      const report = await migrateDatabase(db);
      expect(report).toMatchObject({ from: 0, to: SCHEMA_VERSION });
      expect(report.applied[0].notes).toEqual(expect.arrayContaining(["participants.trained_at added (empty for the existing rows)", "pairs.reverse_since added (empty for the existing rows)"]));
      await applySchema(db);
      expect(await db.all("select schema_version from schema_meta")).toEqual([{ schema_version: SCHEMA_VERSION }]);
      expect(await db.all("select participant_id, trained_at from participants order by 1")).toEqual([
        { participant_id: "P1", trained_at: null },
        { participant_id: "P2", trained_at: null },
      ]);
      expect(await db.all("select pair_id, match_score, reverse_since from pairs")).toEqual([{ pair_id: "B1", match_score: 0.7, reverse_since: null }]);
      expect(await db.all("select count(*)::integer as n from imports")).toEqual([{ n: 0 }]);
      // Running it again changes nothing.
      expect((await migrateDatabase(db)).applied).toEqual([]);
    } finally {
      db.close();
    }
  });

  it("a new file needs no migration; a file from a newer version is refused and left as it is", async () => {
    const db = await openDatabase(":memory:");
    try {
      expect(await migrateDatabase(db)).toEqual({ from: null, to: SCHEMA_VERSION, applied: [] });
      await applySchema(db);
      await db.run("update schema_meta set schema_version = $v", { v: SCHEMA_VERSION + 1 });
      await expect(migrateDatabase(db)).rejects.toThrow(/newer Binôme/);
      expect(await db.all("select schema_version from schema_meta")).toEqual([{ schema_version: SCHEMA_VERSION + 1 }]);
    } finally {
      db.close();
    }
  });

  it("never drops data silently: a step that would lose rows or a column is rolled back", async () => {
    const losing: Migration = { version: 1, name: "a careless step", up: async (db) => (await db.run("delete from pairs"), []) };
    const dropping: Migration = { version: 1, name: "another", up: async (db) => (await db.run("alter table pairs drop column match_score"), []) };
    for (const [step, message] of [[losing, /lose 1 rows of pairs/], [dropping, /drop pairs.match_score/]] as const) {
      const db = await olderFile();
      try {
        await expect(migrateDatabase(db, 1, [step])).rejects.toThrow(message);
        expect(await db.all("select pair_id, match_score from pairs")).toEqual([{ pair_id: "B1", match_score: 0.7 }]);
        expect(await db.all("select table_name from information_schema.tables where table_name = 'schema_meta'")).toEqual([]);
      } finally {
        db.close();
      }
    }
  });

  it("a required column missing from stored rows stops the upgrade with a clear message", async () => {
    const db = await olderFile();
    try {
      await db.run("alter table programs drop column currency");
      await expect(migrateDatabase(db)).rejects.toThrow(MigrationError);
      await expect(migrateDatabase(db)).rejects.toThrow(/programs.currency is required now/);
      expect(await db.all("select count(*)::integer as n from programs")).toEqual([{ n: 1 }]);
    } finally {
      db.close();
    }
  });

  it("repairs an old file that a start-up marked current without upgrading it", async () => {
    const db = await olderFile();
    try {
      // What openAppDatabase alone does to an unversioned file: tables created, version 1 recorded.
      await applySchema(db);
      expect(await db.all("select schema_version from schema_meta")).toEqual([{ schema_version: SCHEMA_VERSION }]);
      const report = await migrateDatabase(db);
      expect(report.applied[0].notes).toContain("pairs.reverse_since added (empty for the existing rows)");
      expect(await db.all("select pair_id, reverse_since from pairs")).toEqual([{ pair_id: "B1", reverse_since: null }]);
    } finally {
      db.close();
    }
  });

  it("renames the organization ids that break the identifier rule everywhere, and says so in the audit log (decision 0014)", async () => {
    const db = await olderFile();
    try {
      // What older imports accepted: `*` (which read as "every organization"), an id with a space
      // and one with a control character, referenced by participants, costs and an hr account.
      // `invalid-org-1` is already taken: the new names skip it.
      await db.run(loadSql("schema/09_costs"));
      await db.run(loadSql("schema/20_users"));
      await db.run(`insert into organizations values ('*', 'Star', null), ('OR G', 'Spaced', null), ('ORG\u0001X', 'Control', null), ('invalid-org-1', 'Taken', null)`);
      await db.run(`insert into participants values ('old', 'P3', '*', 'mentor', 1970, 'F', 4, 'Lyon', ['fr'], null, '2023-01-02'),
        ('old', 'P4', 'OR G', 'mentee', 1990, 'F', 1, 'Lyon', ['fr'], null, '2023-01-02'), ('old', 'P5', 'ORG\u0001X', 'mentee', 1991, 'F', 1, 'Lyon', ['fr'], null, '2023-01-02')`);
      await db.run(`insert into costs (program_id, org_id, date, category, amount, currency) values ('old', '*', '2023-02-01', 'training', 100, 'EUR'), ('old', null, '2023-02-01', 'other', 5, 'EUR')`);
      await db.run(`insert into users (user_id, username, role, org_id, password_hash, created_at, password_changed_at)
        values ('u_star', 'hr-star', 'hr', '*', 'x', now(), now()), ('u_admin', 'boss', 'admin', null, 'x', now(), now())`);
      const report = await migrateDatabase(db);
      expect(report).toMatchObject({ from: 0, to: SCHEMA_VERSION });
      expect(report.applied.map((s) => s.version)).toEqual([1, 2, 3, 4, 5]); // 3: programs.previous_program_id (issue 15); 4: workforce (issue 13); 5: mapping_presets (issue 17)
      expect(report.applied[1].notes).toEqual([
        'organization id "*" is not a valid identifier: renamed invalid-org-2 (1 organizations, 1 participants, 1 costs, 1 users)',
        'organization id "OR G" is not a valid identifier: renamed invalid-org-3 (1 organizations, 1 participants)',
        'organization id "ORG\\u0001X" is not a valid identifier: renamed invalid-org-4 (1 organizations, 1 participants)',
      ]);
      await applySchema(db);
      expect(await db.all("select org_id, name from organizations order by name")).toEqual([
        { org_id: "invalid-org-4", name: "Control" },
        { org_id: "ORG1", name: "Dana" },
        { org_id: "invalid-org-3", name: "Spaced" },
        { org_id: "invalid-org-2", name: "Star" },
        { org_id: "invalid-org-1", name: "Taken" },
      ]);
      expect(await db.all("select participant_id, org_id from participants order by 1")).toEqual([
        { participant_id: "P1", org_id: "ORG1" },
        { participant_id: "P2", org_id: "ORG1" },
        { participant_id: "P3", org_id: "invalid-org-2" },
        { participant_id: "P4", org_id: "invalid-org-3" },
        { participant_id: "P5", org_id: "invalid-org-4" },
      ]);
      expect(await db.all("select org_id, amount::double as amount from costs order by amount")).toEqual([{ org_id: null, amount: 5 }, { org_id: "invalid-org-2", amount: 100 }]);
      expect(await db.all("select username, org_id from users order by 1")).toEqual([{ username: "boss", org_id: null }, { username: "hr-star", org_id: "invalid-org-2" }]);
      const audit = await db.all<{ user_id: string; role: string; action: string; details: string }>("select user_id, role, action, details::varchar as details from audit_log order by logged_at, details");
      expect(audit.map((a) => [a.user_id, a.role, a.action])).toEqual(Array(3).fill(["binome-migration", "system", "rename_organization"]));
      expect(audit.map((a) => JSON.parse(a.details))).toContainEqual({
        from: "*",
        to: "invalid-org-2",
        rows: { organizations: 1, participants: 1, costs: 1, users: 1 },
        reason: "not a valid organization identifier (decision 0014)",
      });
      // Nothing left to do on the next start.
      expect((await migrateDatabase(db)).applied).toEqual([]);
    } finally {
      db.close();
    }
  });

  it("repairs a file at version 1 (made by the previous Binôme) and one marked current that still holds `*`", async () => {
    for (const version of [1, SCHEMA_VERSION]) {
      const db = await openDatabase(":memory:");
      try {
        await applySchema(db);
        await db.run("update schema_meta set schema_version = $v", { v: version });
        await db.run("insert into organizations values ('*', 'Star', null)");
        await db.run("insert into ops_snapshot_participants (snapshot_id, program_id, participant_id, org_id, role, birth_year, joined_at) values (1, 'p', 'P1', '*', 'mentor', 1970, '2023-01-01')");
        const report = await migrateDatabase(db);
        expect(report.applied.flatMap((s) => s.notes)).toEqual(['organization id "*" is not a valid identifier: renamed invalid-org-1 (1 organizations, 1 ops_snapshot_participants)']);
        expect(await db.all("select org_id from ops_snapshot_participants")).toEqual([{ org_id: "invalid-org-1" }]);
        expect(await db.all("select schema_version from schema_meta")).toEqual([{ schema_version: SCHEMA_VERSION }]);
      } finally {
        db.close();
      }
    }
  });
});
