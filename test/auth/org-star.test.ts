// Issue 11 (f): an organization imported as `*` (as the old import allowed; here by direct SQL
// on a database of the previous schema version) must not give its hr users every
// organization's people. After the start-up migration (decision 0014) such a user sees, on the
// quality page's at-risk pairs, in the pairs Arrow and in a simulation's pairs, only the pairs
// with a member of its own organization, and no other organization's participant id.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tableFromIPC } from "apache-arrow";
import { individualsOrg, type Scope } from "../../analytics/auth/scope.server.ts";
import { createUser, findUserByUsername, UserError } from "../../analytics/auth/users.server.ts";
import { clearPageCache } from "../../analytics/metrics/cache.server.ts";
import { getPairsArrow } from "../../analytics/dashboards/pairs-arrow.server.ts";
import { getQuality } from "../../analytics/dashboards/quality.server.ts";
import { jobPairs } from "../../analytics/dashboards/simulations.server.ts";
import { startSimulation, waitForJob } from "../../analytics/matching/jobs.server.ts";
import { applySchema, type Db } from "../../analytics/db/database.server.ts";
import { migrateDatabase } from "../../analytics/db/migrate.server.ts";
import { openFixtureDb } from "../metrics/helpers.ts";
import { fixtureDb, insertUser, PASSWORD } from "./helpers.ts";

/** The hand-made inter-company fixture (test/fixtures/metrics/octave): ORG-A, ORG-B, ORG-C. */
const PROGRAM = "P1";
/** The organization that the old import stored as `*`. */
const STAR_WAS = "ORG-A";

let db: Db;
/** participant id → organization, as imported (before `*`). */
let orgOf: Map<string, string>;
let hrStar: Scope;
const admin: Scope = { userId: "u_admin", role: "admin", orgId: null };

beforeAll(async () => {
  db = await openFixtureDb();
  const rows = await db.all<{ participant_id: string; org_id: string }>("select participant_id, org_id from participants where program_id = $p", { p: PROGRAM });
  orgOf = new Map(rows.map((r) => [r.participant_id, r.org_id]));
  expect(new Set(orgOf.values()).size).toBeGreaterThan(2);
  // The old code path: the organization stored as `*`, an hr account of it, a file of version 1.
  for (const table of ["organizations", "participants", "costs"]) await db.run(`update ${table} set org_id = '*' where org_id = $org`, { org: STAR_WAS });
  await insertUser(db, "hr-star", "hr", "*");
  await db.run("update schema_meta set schema_version = 1");
  await migrateDatabase(db);
  await applySchema(db);
  clearPageCache();
  const user = (await findUserByUsername(db, "hr-star"))!;
  hrStar = { userId: user.user_id, role: "hr", orgId: user.org_id };
}, 120_000);

afterAll(() => db?.close());

interface PairRow {
  mentor_id: string | null;
  mentee_id: string | null;
  mentor_org_id: string;
  mentee_org_id: string;
}

/** Every row has a member of the reader's (renamed) organization and shows no one else's id. */
function expectOwnOrganizationOnly(rows: PairRow[], what: string) {
  const own = hrStar.orgId;
  for (const row of rows) {
    expect(row.mentor_org_id === own || row.mentee_org_id === own, `${what}: a pair without a member of ${own}: ${JSON.stringify(row)}`).toBe(true);
    for (const id of [row.mentor_id, row.mentee_id]) {
      if (id !== null) expect(orgOf.get(id), `${what}: participant ${id} of another organization`).toBe(STAR_WAS);
    }
  }
}

describe("an hr user of an organization once imported as `*`", () => {
  it("sees on the quality page only at-risk pairs with a member of its organization", async () => {
    const mine = (await getQuality(db, PROGRAM, { k: 5, individualsOrg: individualsOrg(hrStar) }))!;
    const all = (await getQuality(db, PROGRAM, { k: null, individualsOrg: individualsOrg(admin) }))!;
    // The operator's list has other organizations' people: the check below can fail.
    expect(all.atRisk!.some((p) => p.mentor_id !== null && orgOf.get(p.mentor_id) !== STAR_WAS)).toBe(true);
    expect(mine.atRisk).not.toBeNull();
    expectOwnOrganizationOnly(mine.atRisk!, "at-risk pairs");
    expect(mine.atRisk!.length).toBeLessThan(all.atRisk!.length);
  });

  it("gets in the pairs Arrow only the pairs with a member of its organization, its own people still named", async () => {
    const rows = tableFromIPC((await getPairsArrow(db, PROGRAM, individualsOrg(hrStar)!))!.ipc).toArray().map((r) => r.toJSON() as PairRow);
    const all = (await getPairsArrow(db, PROGRAM, individualsOrg(admin)!))!;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(all.rows);
    expectOwnOrganizationOnly(rows, "pairs.arrow");
    // Not locked out: the organization's own participants keep their ids (decision 0014: renamed, not disabled).
    expect(rows.some((r) => r.mentor_id !== null || r.mentee_id !== null)).toBe(true);
  });

  it("gets from a simulation only the pairs with a member of its organization", async () => {
    const job = (await startSimulation(db, PROGRAM, admin, { strategies: ["optimal"], runs: 1, seed: 1, weights: {}, bootstrap: 10 }))!;
    await waitForJob(PROGRAM, job, admin);
    const all = jobPairs(PROGRAM, job, "optimal", individualsOrg(admin)!)!;
    const mine = jobPairs(PROGRAM, job, "optimal", individualsOrg(hrStar)!)!;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(all.length);
    expectOwnOrganizationOnly(mine, "simulated pairs");
  }, 120_000);

  it("belongs, after the upgrade, to a renamed organization that keeps its people and costs", async () => {
    expect(hrStar.orgId).toMatch(/^invalid-org-\d+$/);
    expect(await db.all("select count(*)::integer as n from organizations where org_id = '*'")).toEqual([{ n: 0 }]);
    const [{ n }] = await db.all<{ n: number }>("select count(*)::integer as n from participants where program_id = $p and org_id = $org", { p: PROGRAM, org: hrStar.orgId });
    expect(n).toBe([...orgOf.values()].filter((o) => o === STAR_WAS).length);
  });
});

describe("accounts", () => {
  it("refuse an organization id that is *, or holds spaces or control characters, even when such an organization is stored", async () => {
    const fixture = await fixtureDb();
    try {
      // As the old import stored them.
      for (const orgId of ["*", "ORG 1", "ORG\u0001"]) await fixture.run("insert into organizations (org_id, name) values ($org_id, 'Old')", { org_id: orgId });
      for (const [i, [orgId, shown]] of [["*", '"*"'], ["ORG 1", '"ORG 1"'], ["ORG\u0001", '"ORG\\u0001"']].entries()) {
        const attempt = createUser(fixture, { username: `hr-old-${i}`, role: "hr", orgId, password: PASSWORD });
        await expect(attempt).rejects.toThrow(UserError);
        await expect(attempt).rejects.toThrow(`${shown} is not an organization identifier (1 to 64 letters, digits or _ . : - starting with a letter or digit).`);
      }
      expect(await fixture.all("select count(*)::integer as n from users")).toEqual([{ n: 0 }]);
    } finally {
      fixture.close();
    }
  });
});
