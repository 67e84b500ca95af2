import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit, recordAudit } from "../../analytics/auth/audit.server.ts";
import { bootstrapUsers, DEMO_USERS } from "../../analytics/auth/bootstrap.server.ts";
import { login } from "../../analytics/auth/login.server.ts";
import {
  audienceFor,
  canSeeIndividuals,
  canSeeIndividualsOf,
  canViewProgram,
  type Scope,
} from "../../analytics/auth/scope.server.ts";
import { listUsers } from "../../analytics/auth/users.server.ts";
import type { Db } from "../../analytics/db/database.server.ts";
import { listPrograms } from "../../analytics/programs/list.server.ts";
import { count, fixtureDb, ORG_A, ORG_B, PROGRAMS } from "./helpers.ts";

const admin: Scope = { userId: "u_admin", role: "admin", orgId: null };
const scopes = (orgId: string): Scope[] =>
  (["hr", "rse", "sponsor"] as const).map((role) => ({ userId: `u_${role}`, role, orgId }));

describe("scope", () => {
  let db: Db;
  beforeAll(async () => {
    db = await fixtureDb();
  });
  afterAll(() => db.close());

  it("admin sees every program; other roles only the programs their organization takes part in", async () => {
    expect((await listPrograms(db, admin)).map((p) => p.program_id).sort()).toEqual(
      [PROGRAMS.onlyA.id, PROGRAMS.onlyB.id, PROGRAMS.shared.id].sort(),
    );
    for (const scope of scopes(ORG_A)) {
      const visible = (await listPrograms(db, scope)).map((p) => p.program_id).sort();
      expect(visible).toEqual([PROGRAMS.onlyA.id, PROGRAMS.shared.id].sort());
      expect(await canViewProgram(db, scope, PROGRAMS.shared.id)).toBe(true);
      expect(await canViewProgram(db, scope, PROGRAMS.onlyA.id)).toBe(true);
      expect(await canViewProgram(db, scope, PROGRAMS.onlyB.id)).toBe(false);
      expect(await canViewProgram(db, scope, "no-such-program")).toBe(false);
    }
    for (const scope of scopes(ORG_B)) {
      expect((await listPrograms(db, scope)).map((p) => p.program_id)).not.toContain(PROGRAMS.onlyA.id);
    }
    expect(await canViewProgram(db, admin, PROGRAMS.onlyB.id)).toBe(true);
    expect(await canViewProgram(db, admin, "no-such-program")).toBe(false);
    // A non-admin scope without an organization sees nothing (never everything).
    expect(await listPrograms(db, { userId: "u_x", role: "rse", orgId: null })).toEqual([]);
  });

  it("maps roles to report audiences and individual-level access", () => {
    const [hr, rse, sponsor] = scopes(ORG_A);
    expect([admin, hr, rse, sponsor].map(audienceFor)).toEqual(["admin", "hr", "rse", "sponsor"]);
    expect([admin, hr, rse, sponsor].map(canSeeIndividuals)).toEqual([true, true, false, false]);
    expect(canSeeIndividualsOf(hr, ORG_A)).toBe(true);
    expect(canSeeIndividualsOf(hr, ORG_B)).toBe(false);
    expect(canSeeIndividualsOf(rse, ORG_A)).toBe(false);
    expect(canSeeIndividualsOf(admin, ORG_B)).toBe(true);
  });

  it("records who viewed individuals or downloaded an export, and when", async () => {
    const [hr] = scopes(ORG_A);
    const when = Date.UTC(2026, 10, 26, 9, 30, 0);
    await recordAudit(db, hr, "view_individuals", { programId: PROGRAMS.shared.id, page: "at-risk pairs", rows: 4 }, when);
    await recordAudit(db, admin, "download_export", { programId: PROGRAMS.onlyB.id, format: "csv" }, when + 1000);
    expect(await count(db, "audit_log")).toBe(2);
    const [latest, first] = await listAudit(db);
    expect(latest).toMatchObject({ user_id: "u_admin", role: "admin", org_id: null, action: "download_export", program_id: PROGRAMS.onlyB.id });
    expect(JSON.parse(latest.details)).toEqual({ format: "csv" });
    expect(first).toMatchObject({ user_id: "u_hr", role: "hr", org_id: ORG_A, action: "view_individuals", logged_at: "2026-11-26T09:30:00.000Z" });
    expect(JSON.parse(first.details)).toEqual({ page: "at-risk pairs", rows: 4 });
  });
});

describe("first start", () => {
  it("without the demo: one admin with a random password, printed once; nothing on later starts", async () => {
    const db = await fixtureDb();
    try {
      const lines: string[] = [];
      const result = await bootstrapUsers(db, { demo: false, log: (l) => lines.push(l) });
      expect(result.created).toBe("admin");
      if (result.created !== "admin") return;
      expect(result.password.replaceAll("-", "")).toMatch(/^[a-z2-7]{24}$/);
      expect(lines.join("\n")).toContain(result.password);
      const users = await listUsers(db);
      expect(users.map((u) => [u.username, u.role, u.org_id])).toEqual([["admin", "admin", null]]);
      expect((await login(db, { username: "admin", password: result.password, ip: null })).ok).toBe(true);
      const again: string[] = [];
      expect((await bootstrapUsers(db, { demo: false, log: (l) => again.push(l) })).created).toBe("none");
      expect(again).toEqual([]);
    } finally {
      db.close();
    }
  });

  it("with the demo: a demo admin and one user per role for the largest organization of octave-demo", async () => {
    const db = await fixtureDb();
    try {
      await db.run("insert into programs (program_id, name, kind, start_date, end_date, currency) values ('octave-demo', 'OCTAVE', 'inter', date '2026-01-05', date '2026-09-05', 'EUR')");
      for (const [i, org] of [ORG_B, ORG_B, ORG_A].entries()) {
        await db.run(
          "insert into participants (program_id, participant_id, org_id, role, birth_year, joined_at) values ('octave-demo', $id, $org, 'mentor', 1970, date '2026-01-05')",
          { id: `p${i}`, org },
        );
      }
      const lines: string[] = [];
      const result = await bootstrapUsers(db, { demo: true, log: (l) => lines.push(l) });
      expect(result).toEqual({ created: "demo", orgId: ORG_B, usernames: DEMO_USERS.map((u) => u.username) });
      const users = await listUsers(db);
      expect(users.map((u) => [u.username, u.role, u.org_id])).toEqual([
        ["demo-admin", "admin", null],
        ["demo-hr", "hr", ORG_B],
        ["demo-rse", "rse", ORG_B],
        ["demo-sponsor", "sponsor", ORG_B],
      ]);
      for (const user of DEMO_USERS) expect(lines.join("\n")).toContain(user.password);
      const hr = DEMO_USERS.find((u) => u.role === "hr")!;
      expect((await login(db, { username: hr.username, password: hr.password, ip: null })).ok).toBe(true);
    } finally {
      db.close();
    }
  });
});
