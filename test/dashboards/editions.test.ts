// Cohort over cohort: a program beside its other editions (programs.previous_program_id, back
// and forward) and its intake cohorts, with the figures each reader already gets on each
// edition's overview; an edition the reader may not open is counted, not named. The demo
// generator writes octave-2024 as octave-demo's previous edition when asked.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Scope } from "../../analytics/auth/scope.server.ts";
import { clearPageCache } from "../../analytics/metrics/cache.server.ts";
import { applySchema, openDatabase, type Db } from "../../analytics/db/database.server.ts";
import { ingestExport } from "../../analytics/ingest/index.server.ts";
import { getProgramReport } from "../../analytics/report/report.server.ts";
import { getEditions } from "../../analytics/programs/editions.server.ts";
import { generateDemo } from "../../seeds/generate.ts";

let db: Db;
let dir: string;
const ADMIN: Scope = { userId: "a", role: "admin", orgId: null };
const sponsor = (orgId: string): Scope => ({ userId: `s-${orgId}`, role: "sponsor", orgId });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "binome-editions-"));
  // Asked in this order, the previous edition is still written (and imported) first.
  const { folders } = await generateDemo({ outDir: dir, programs: ["octave-demo", "octave-2024", "large-demo"] });
  expect(folders.map((f) => f.programId)).toEqual(["octave-2024", "large-demo", "octave-demo"]);
  db = await openDatabase(":memory:");
  await applySchema(db);
  for (const folder of folders) expect((await ingestExport(db, [folder.dir])).outcome).toBe("imported");
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("editions", () => {
  it("chains the editions oldest first, from either end, each with its report's figures", async () => {
    for (const from of ["octave-demo", "octave-2024"]) {
      const data = (await getEditions(db, ADMIN, from))!;
      expect(data.editions.map((e) => [e.program_id, e.position])).toEqual(
        from === "octave-demo" ? [["octave-2024", -1], ["octave-demo", 0]] : [["octave-2024", 0], ["octave-demo", 1]],
      );
      expect(data.hidden_editions).toBe(0);
    }
    const [previous, current] = (await getEditions(db, ADMIN, "octave-demo"))!.editions;
    const report = (await getProgramReport(db, "octave-2024"))!;
    expect(previous).toMatchObject({ participants: report.participants.total, pairs: report.pairs.total, completion_rate: report.topics.completion_rate, start_date: "2024-10-01" });
    expect(current.participants).toBe((await getProgramReport(db, "octave-demo"))!.participants.total);
    expect((await getEditions(db, ADMIN, "large-demo"))!.editions.map((e) => e.program_id)).toEqual(["large-demo"]);
    expect(await getEditions(db, ADMIN, "nope")).toBeNull();
  });

  it("gives a sponsor its audience's figures, and counts without naming an edition it may not open", async () => {
    const data = (await getEditions(db, sponsor("BEAUMANOIR"), "octave-demo"))!;
    const report = (await getProgramReport(db, "octave-2024", { audience: "sponsor", orgId: "BEAUMANOIR" }))!;
    expect(data.editions[0]).toMatchObject({ program_id: "octave-2024", cost_per_matched_mentee: report.costs.per_matched_mentee, midpoint_satisfaction_mean: report.quality.midpoint_satisfaction_mean });
    // BEAUMANOIR leaves the 2024 edition: that edition is no longer its to open.
    await db.run("delete from participants where program_id = 'octave-2024' and org_id = 'BEAUMANOIR'");
    clearPageCache();
    const after = (await getEditions(db, sponsor("BEAUMANOIR"), "octave-demo"))!;
    expect(after.editions.map((e) => e.program_id)).toEqual(["octave-demo"]);
    expect(after.hidden_editions).toBe(1);
    expect(JSON.stringify(after)).not.toContain("octave-2024");
    expect(JSON.stringify(after)).not.toContain("2024-2025");
  });

  it("lists the intake cohorts from the report's breakdown, small cohorts hidden for a sponsor", async () => {
    const admin = (await getEditions(db, ADMIN, "large-demo"))!;
    const cohorts = admin.cohorts.filter((c) => c.group !== "unmatched");
    expect(cohorts.length).toBeGreaterThan(1);
    expect(admin.cohorts).toEqual((await getProgramReport(db, "large-demo"))!.breakdowns.by_cohort);
    const seen = (await getEditions(db, sponsor("RAVEL-ENERGIE"), "large-demo"))!;
    for (const c of seen.cohorts) if (!c.suppressed) expect(c.participants!).toBeGreaterThanOrEqual(5);
  });
});
