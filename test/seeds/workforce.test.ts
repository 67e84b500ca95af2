/**
 * The demo workforce (issue 13, seeds/workforce.ts): everyone of the participating
 * organizations employed on the start date, participants included; who takes part depends on
 * the covariates that also drive the outcomes (a raw comparison is biased by construction);
 * the true effects on the participants come from the model.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemo, type GenerateResult } from "../../seeds/generate.ts";
import { LARGE_DEMO } from "../../seeds/programs.ts";
import { WORKFORCE_MODEL, hazards, trueImpact, type WorkforcePerson } from "../../seeds/workforce.ts";
import { day } from "../../seeds/dates.ts";
import { parseCsv, readExport } from "./helpers.ts";

let root: string;
let result: GenerateResult;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "binome-seeds-workforce-"));
  result = await generateDemo({ outDir: root });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const rowsOf = (programId: string) => {
  const dir = result.folders.find((f) => f.programId === programId)!.dir;
  return parseCsv(readFileSync(join(dir, "workforce.csv"), "utf8"), ",");
};

describe("the demo workforce", () => {
  it("holds every participant (same id, organization, birth year) and five others per participant in large-demo", () => {
    const large = readExport(result.folders[1].dir, false);
    const rows = rowsOf("large-demo");
    expect(rows).toHaveLength(2000 * 6);
    const byId = new Map(rows.map((r) => [r.person_id, r]));
    for (const p of large.participants) {
      const w = byId.get(p.participant_id)!;
      expect(w, p.participant_id).toBeDefined();
      expect([w.org_id, w.birth_year, w.job_level]).toEqual([p.org_id, p.birth_year, p.job_level]);
    }
    for (const r of rows) {
      expect(r.hire_date < "2026-03-01").toBe(true);
      expect(r.observed_until).toBe("2027-03-15");
      if (r.left_at) expect(["voluntary", "involuntary", "retirement", "other"]).toContain(r.leave_reason);
      else expect(r.leave_reason).toBe("");
      if (r.promoted_at && r.left_at) expect(r.promoted_at <= r.left_at).toBe(true);
    }
    expect(result.summaries[1].rows.workforce).toBe(12000);
    expect(result.summaries[0].rows.workforce).toBe(105 * 13);
  });

  it("makes participation depend on organization and tenure as the model says (a biased raw comparison)", () => {
    const rows = rowsOf("large-demo");
    const participants = new Set(readExport(result.folders[1].dir, false).participants.map((p) => p.participant_id));
    const share = (pred: (r: Record<string, string>) => boolean) => {
      const group = rows.filter(pred);
      return group.filter((r) => participants.has(r.person_id)).length / group.length;
    };
    // RAVEL-SIEGE (org index 0, +0.8) takes part more than RAVEL-ENERGIE (index 1, −0.6).
    expect(share((r) => r.org_id === "RAVEL-SIEGE")).toBeGreaterThan(share((r) => r.org_id === "RAVEL-ENERGIE") * 1.5);
    // Recent hires take part less.
    const recent = (r: Record<string, string>) => r.hire_date >= "2024-03-01";
    expect(share((r) => !recent(r))).toBeGreaterThan(share(recent) * 1.3);
  });

  it("states the true effects (ATT): fewer voluntary departures and more promotions among participants", () => {
    const truth = result.summaries[1].trueImpact!;
    expect(truth.horizonMonths).toBe(12);
    for (const role of ["all", "mentee", "mentor"] as const) {
      expect(truth.retention[role].effect, role).toBeGreaterThan(0.02);
      expect(truth.promotion[role].effect, role).toBeGreaterThan(0.01);
    }
    // Pinned (seeds/README.md quotes them, rounded).
    expect(truth.retention.all.effect).toBeCloseTo(0.0623, 3);
    expect(truth.promotion.all.effect).toBeCloseTo(0.0567, 3);
  });

  it("computes the truth by hand on a two-person world", () => {
    const start = LARGE_DEMO.start;
    const c = { orgId: "RAVEL-SIEGE", generation: "gen_x", jobLevel: "3", tenure: "5to10" } as const;
    const person = (role: "mentee" | null): WorkforcePerson => ({ personId: "X", orgIndex: 0, birthYear: 1975, jobLevel: 3, gender: "F", hire: start - 3000, role, covariates: { ...c }, leftAt: null, leaveReason: null, promotedAt: null });
    const truth = trueImpact(LARGE_DEMO, [person("mentee")], 12);
    const h = hazards(WORKFORCE_MODEL, { ...c }, 0, null);
    // 365 days from 2026-03-01 to 2027-03-01; hazards are monthly (365.25 / 12 days).
    const months = 365 / (365.25 / 12);
    expect(truth.retention.all.untreated).toBeCloseTo(Math.exp(-h.voluntary * months), 10);
    expect(truth.retention.all.treated).toBeCloseTo(Math.exp(-h.voluntary * 0.6 * months), 10);
    // One person: the at-risk average is their own hazard, so 1 − KM = 1 − exp(−h·t).
    expect(truth.promotion.all.treated).toBeCloseTo(1 - Math.exp(-h.promotion * 1.6 * months), 6);
    expect(day("2027-03-01") - start).toBe(365);
  });
});
