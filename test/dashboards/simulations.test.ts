// The simulation page's server side on octave-demo: a simulation runs in a worker thread with
// visible progress, its recorded strategy agrees with the report, a run is kept in DuckDB only
// on request, fairness groups are suppressed for non-admin audiences, and HR sees only the
// pairs of its own organization.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  jobPairs,
  keepJob,
  listStoredRuns,
  parseSimulationRequest,
  replayRequest,
  resultView,
  startSimulation,
  storedRunResult,
  waitForJob,
  jobResult,
  getJobStatus,
} from "../../analytics/dashboards/simulations.server.ts";
import { applySchema, openDatabase, type Db } from "../../analytics/db/database.server.ts";
import { ingestExport } from "../../analytics/ingest/index.server.ts";
import { getProgramReport } from "../../analytics/metrics/report.server.ts";
import { generateDemo } from "../../seeds/generate.ts";

let db: Db;
let dir: string;
const PROGRAM = "octave-demo";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "binome-d2-sim-"));
  const { folders } = await generateDemo({ outDir: dir, programs: [PROGRAM] });
  db = await openDatabase(":memory:");
  await applySchema(db);
  for (const folder of folders) expect((await ingestExport(db, [folder.dir])).outcome).toBe("imported");
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

function form(entries: [string, string][]): FormData {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
}

describe("simulation requests", () => {
  it("reads strategies, runs, seed and weights and names a bad value", () => {
    const request = parseSimulationRequest(form([["strategy", "optimal"], ["strategy", "random"], ["runs", "5"], ["seed", "7"], ["w_topic_fit", "0,5"]]));
    expect(request).toMatchObject({ strategies: ["optimal", "random"], runs: 5, seed: 7, weights: { topic_fit: 0.5 } });
    expect(() => parseSimulationRequest(form([["strategy", "magic"]]))).toThrow(/invalid strategy: "magic"/);
    expect(() => parseSimulationRequest(form([["strategy", "optimal"], ["runs", "0"]]))).toThrow(/invalid runs/);
    expect(() => parseSimulationRequest(form([]))).toThrow(/at least one strategy/);
  });
});

describe("a simulation job", () => {
  let jobId: string;

  beforeAll(async () => {
    const request = parseSimulationRequest(
      form([["strategy", "recorded"], ["strategy", "optimal"], ["strategy", "random"], ["strategy", "reach"], ["runs", "4"], ["seed", "3"], ["bootstrap", "20"]]),
    );
    jobId = (await startSimulation(db, PROGRAM, "u1", request))!;
    expect(getJobStatus(PROGRAM, jobId)?.status).toBe("running");
    const status = await waitForJob(PROGRAM, jobId);
    expect(status?.error).toBeNull();
    expect(status?.status).toBe("done");
  }, 120_000);

  it("reports progress to the end and compares every strategy", async () => {
    const status = getJobStatus(PROGRAM, jobId)!;
    expect(status.done).toBe(status.total);
    expect(status.total).toBe(3 + 4); // recorded, optimal, reach + 4 random runs
    expect(getJobStatus("large-demo", jobId)).toBeNull(); // another program's URL does not reach it
    const view = resultView(jobResult(PROGRAM, jobId)!, "admin", null);
    expect(view.comparison.map((r) => r.strategy)).toEqual(["recorded", "optimal", "random", "reach"]);
    const report = (await getProgramReport(db, PROGRAM))!;
    const recorded = view.comparison[0];
    expect(recorded.cross_generation_rate).toBeCloseTo(report.generations.cross_generation_pair_rate!, 12);
    expect(recorded.median_age_gap_years).toBe(report.generations.median_age_gap_years);
    for (const row of view.comparison) {
      if (row.predicted_success === null) continue;
      expect(row.predicted_success_low!).toBeLessThanOrEqual(row.predicted_success);
      expect(row.predicted_success_high!).toBeGreaterThanOrEqual(row.predicted_success);
    }
  });

  it("is stored only when kept, once", async () => {
    expect(await listStoredRuns(db, PROGRAM)).toEqual([]);
    const runId = (await keepJob(db, PROGRAM, jobId))!;
    expect(await keepJob(db, PROGRAM, jobId)).toBe(runId);
    const runs = await listStoredRuns(db, PROGRAM);
    expect(runs.map((r) => r.run_id)).toEqual([runId]);
    const stored = (await storedRunResult(db, PROGRAM, runId))!;
    expect(stored.result).toEqual(jobResult(PROGRAM, jobId));
    expect(await storedRunResult(db, "large-demo", runId)).toBeNull();
  });

  it("hides small fairness groups from non-admin audiences; a sponsor sees its own organization", () => {
    const result = jobResult(PROGRAM, jobId)!;
    const admin = resultView(result, "admin", null);
    expect(admin.fairness.every((r) => !r.suppressed)).toBe(true);
    const rse = resultView(result, "rse", null);
    for (const r of rse.fairness.filter((r) => !r.suppressed)) expect(r.mentees!).toBeGreaterThanOrEqual(5);
    expect(rse.fairness.filter((r) => r.mentees !== null && r.mentees < 5)).toEqual([]);
    expect(admin.fairness.some((r) => r.mentees! < 5)).toBe(true);
    const sponsor = resultView(result, "sponsor", "BEAUMANOIR");
    expect(new Set(sponsor.fairness.filter((r) => r.dimension === "organization").map((r) => r.group))).toEqual(new Set(["BEAUMANOIR"]));
    expect(sponsor.comparison).toEqual(admin.comparison);
  });

  it("lists a strategy's pairs: all for admin, HR's own organization only", () => {
    const all = jobPairs(PROGRAM, jobId, "optimal", { kind: "all" })!;
    expect(all.length).toBe(jobResult(PROGRAM, jobId)!.strategies.find((s) => s.strategy === "optimal")!.pairs.mean);
    const hr = jobPairs(PROGRAM, jobId, "optimal", { kind: "org", orgId: "BEAUMANOIR" })!;
    expect(hr.length).toBeGreaterThan(0);
    expect(hr.length).toBeLessThan(all.length);
    for (const p of hr) expect(p.mentee_org_id === "BEAUMANOIR" || p.mentor_org_id === "BEAUMANOIR").toBe(true);
    expect(jobPairs(PROGRAM, jobId, "stable", { kind: "all" })).toBeNull();
  });

  it("replays a stored run's strategy with the same pairs", async () => {
    const result = jobResult(PROGRAM, jobId)!;
    const replay = (await startSimulation(db, PROGRAM, "u1", replayRequest(result, "random")))!;
    await waitForJob(PROGRAM, replay);
    expect(jobPairs(PROGRAM, replay, "random", { kind: "all" })).toEqual(jobPairs(PROGRAM, jobId, "random", { kind: "all" }));
  }, 120_000);
});

describe("the form's options", () => {
  it("offer the matching module's strategies", async () => {
    const { SIMULATION_STRATEGIES } = await import("../../analytics/dashboards/simulations-options.ts");
    const { STRATEGIES } = await import("../../analytics/matching/strategies.ts");
    expect([...SIMULATION_STRATEGIES]).toEqual([...STRATEGIES]);
  });
});
