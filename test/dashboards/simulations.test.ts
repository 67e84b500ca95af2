// The simulation page's server side on octave-demo: a simulation runs in a worker thread with
// visible progress, its recorded strategy agrees with the report, a run is kept in DuckDB only
// on request, fairness groups are suppressed for non-admin audiences, and HR sees only the
// pairs of its own organization. A job is its owner's: another user (admin excepted) cannot
// read it; one running job per user inside a server-wide limit; only admin and hr start jobs.
// A new cohort's model provenance names only the programs the reader may open.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Scope } from "../../analytics/auth/scope.server.ts";
import { jobPairs, openTrainingPrograms, listStoredRuns, readerResultView, resultView, storedRunResult } from "../../analytics/dashboards/simulations.server.ts";
import { generationRowKey, getHiddenGenerationRows } from "../../analytics/privacy/consistent.server.ts";
import {
  JOB_LIMITS,
  simulationLimit,
  SimulationNotAllowedError,
  TooManySimulationsError,
  keepJob,
  parseSimulationRequest,
  replayRequest,
  startSimulation,
  waitForJob,
  jobResult,
  getJobStatus,
} from "../../analytics/matching/jobs.server.ts";
import { applySchema, openDatabase, type Db } from "../../analytics/db/database.server.ts";
import { ingestExport } from "../../analytics/ingest/index.server.ts";
import type { SimulationResult } from "../../analytics/matching/simulation.ts";
import { getProgramReport } from "../../analytics/report/report.server.ts";
import { generateDemo } from "../../seeds/generate.ts";

let db: Db;
let dir: string;
const PROGRAM = "octave-demo";
const BASIC = fileURLToPath(new URL("../fixtures/exports/basic", import.meta.url));
const NEW_COHORT = "sim-new-cohort";
const ORG = "BEAUMANOIR";
const scope = (userId: string, role: Scope["role"] = "hr", orgId: string | null = ORG): Scope => ({ userId, role, orgId: role === "admin" ? null : orgId });
const U1 = scope("u1", "admin");
const ADMIN = scope("u-admin", "admin");

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

function adminRow(view: { fairness: { strategy: string; dimension: string; group: string; mentees: number | null }[] }, r: { strategy: string; dimension: string; group: string }) {
  return view.fairness.find((a) => a.strategy === r.strategy && a.dimension === r.dimension && a.group === r.group)!;
}

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
    jobId = (await startSimulation(db, PROGRAM, U1, request))!;
    expect(getJobStatus(PROGRAM, jobId, U1)?.status).toBe("running");
    const status = await waitForJob(PROGRAM, jobId, U1);
    expect(status?.error).toBeNull();
    expect(status?.status).toBe("done");
  }, 120_000);

  it("reports progress to the end and compares every strategy", async () => {
    const status = getJobStatus(PROGRAM, jobId, U1)!;
    expect(status.done).toBe(status.total);
    expect(status.total).toBe(3 + 4); // recorded, optimal, reach + 4 random runs
    expect(getJobStatus("large-demo", jobId, U1)).toBeNull(); // another program's URL does not reach it
    const view = resultView(jobResult(PROGRAM, jobId, U1)!, "admin", null);
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
    const runId = (await keepJob(db, PROGRAM, jobId, U1))!;
    expect(await keepJob(db, PROGRAM, jobId, U1)).toBe(runId);
    const runs = await listStoredRuns(db, PROGRAM);
    expect(runs.map((r) => r.run_id)).toEqual([runId]);
    const stored = (await storedRunResult(db, PROGRAM, runId))!;
    expect(stored.result).toEqual(jobResult(PROGRAM, jobId, U1));
    expect(await storedRunResult(db, "large-demo", runId)).toBeNull();
  });

  it("hides small fairness groups from non-admin audiences; a sponsor sees its own organization", () => {
    const result = jobResult(PROGRAM, jobId, U1)!;
    const admin = resultView(result, "admin", null);
    expect(admin.fairness.every((r) => !r.suppressed)).toBe(true);
    const rse = resultView(result, "rse", null);
    const adminRow = (r: { strategy: string; dimension: string; group: string }) => admin.fairness.find((a) => a.strategy === r.strategy && a.dimension === r.dimension && a.group === r.group)!;
    for (const r of rse.fairness.filter((r) => !r.suppressed)) expect(adminRow(r).mentees).toBeGreaterThanOrEqual(5);
    expect(rse.fairness.filter((r) => !r.suppressed && adminRow(r).mentees! < 5)).toEqual([]);
    expect(admin.fairness.some((r) => r.mentees! < 5)).toBe(true);
    const sponsor = resultView(result, "sponsor", "BEAUMANOIR");
    expect(new Set(sponsor.fairness.filter((r) => r.dimension === "organization").map((r) => r.group))).toEqual(new Set(["BEAUMANOIR"]));
    expect(sponsor.comparison).toEqual(admin.comparison);
  });

  it("shows protected readers no headcount per group, and hides the generations their other views hide (docs/privacy.md)", async () => {
    const result = jobResult(PROGRAM, jobId, U1)!;
    const admin = await readerResultView(db, result, { audience: "admin", orgId: null, k: null });
    expect(admin.fairness.every((r) => r.mentees !== null && !r.suppressed)).toBe(true);
    const hiddenRows = (await getHiddenGenerationRows(db, PROGRAM, ORG, 5))!;
    const hiddenHere = new Set(admin.fairness.filter((r) => r.dimension === "generation" && hiddenRows.has(generationRowKey("generation", r.group))).map((r) => r.group));
    for (const audience of ["hr", "rse", "sponsor"] as const) {
      const view = await readerResultView(db, result, { audience, orgId: ORG, k: 5 });
      // The cohort's mentees by generation (boomers 3, gen_x 8 on octave-demo) were one more
      // view of the people cells, hidden by this table's own complementary choice.
      expect(view.fairness.every((r) => r.mentees === null), audience).toBe(true);
      expect(view.fairness.filter((r) => r.suppressed).map((r) => `${r.strategy}/${r.group}`)).toEqual(
        resultView(result, audience, ORG, 5, undefined, hiddenHere).fairness.filter((r) => r.suppressed).map((r) => `${r.strategy}/${r.group}`),
      );
    }
    // A generation hidden in the reader's other views is hidden here, even with ≥ k mentees.
    const shownByOwnRule = resultView(result, "rse", ORG).fairness.find((r) => r.dimension === "generation" && !r.suppressed)!;
    expect(adminRow(admin, shownByOwnRule).mentees).toBeGreaterThanOrEqual(5);
    const forced = resultView(result, "rse", ORG, 5, undefined, new Set([shownByOwnRule.group]));
    for (const r of forced.fairness.filter((r) => r.dimension === "generation" && r.group === shownByOwnRule.group))
      expect(r).toMatchObject({ suppressed: true, mentees: null, coverage: null, predicted_success: null, success_per_mentee: null });
    expect(resultView(result, "admin", null, 5, undefined, new Set([shownByOwnRule.group])).fairness.every((r) => !r.suppressed)).toBe(true);
  });

  it("shows non-admin readers no participant id of a run's constraints (a CLI run with a weights file)", () => {
    const base = jobResult(PROGRAM, jobId, U1)!;
    const pair = jobPairs(PROGRAM, jobId, "optimal", { kind: "all" })![0];
    const [mentor, mentee] = [pair.mentor_id!, pair.mentee_id!];
    const result: SimulationResult = {
      ...base,
      parameters: {
        ...base.parameters,
        weights: {
          ...base.parameters.weights,
          constraints: { ...base.parameters.weights.constraints, forbidden_pairs: [{ mentor_id: mentor, mentee_id: mentee }], mentor_capacities: { [mentor]: 2, "GONE-7": 1 } },
        },
      },
      warnings: [...base.warnings, "capacity for GONE-7: not a mentor of the program, ignored"],
    };
    expect(JSON.stringify(resultView(result, "admin", null))).toContain(mentor);
    for (const role of ["hr", "rse", "sponsor"] as const) {
      const view = resultView(result, role, ORG);
      const json = JSON.stringify(view);
      for (const id of [mentor, mentee, "GONE-7"]) expect(json, `${role} sees ${id}`).not.toContain(id);
      expect(view.named_constraints).toEqual({ forbidden_pairs: 1, mentor_capacities: 2, warnings: 1 });
      expect(view.warnings).toContain("1 constraint(s) naming participants who are not in the program were ignored");
      expect(view.parameters.weights.weights).toEqual(base.parameters.weights.weights);
    }
  });

  it("lists a strategy's pairs: all for admin, HR's own organization only", () => {
    const all = jobPairs(PROGRAM, jobId, "optimal", { kind: "all" })!;
    expect(all.length).toBe(jobResult(PROGRAM, jobId, U1)!.strategies.find((s) => s.strategy === "optimal")!.pairs.mean);
    const hr = jobPairs(PROGRAM, jobId, "optimal", { kind: "org", orgId: "BEAUMANOIR" })!;
    expect(hr.length).toBeGreaterThan(0);
    expect(hr.length).toBeLessThan(all.length);
    for (const p of hr) expect(p.mentee_org_id === "BEAUMANOIR" || p.mentor_org_id === "BEAUMANOIR").toBe(true);
    expect(jobPairs(PROGRAM, jobId, "stable", { kind: "all" })).toBeNull();
  });

  it("replays a stored run's strategy with the same pairs", async () => {
    const result = jobResult(PROGRAM, jobId, U1)!;
    const replay = (await startSimulation(db, PROGRAM, U1, replayRequest(result, "random")))!;
    await waitForJob(PROGRAM, replay, U1);
    expect(jobPairs(PROGRAM, replay, "random", { kind: "all" })).toEqual(jobPairs(PROGRAM, jobId, "random", { kind: "all" }));
  }, 120_000);
});

describe("the form's options", () => {
  it("offer the matching module's strategies", async () => {
    const { SIMULATION_STRATEGIES } = await import("../../analytics/matching/simulation-options.ts");
    const { STRATEGIES } = await import("../../analytics/matching/strategies.ts");
    expect([...SIMULATION_STRATEGIES]).toEqual([...STRATEGIES]);
  });
});

const SMALL = () => parseSimulationRequest(form([["strategy", "recorded"], ["strategy", "optimal"], ["runs", "1"], ["bootstrap", "10"]]));

describe("a job belongs to whoever started it", () => {
  it("is unknown to any other user (admin excepted): status, result, waiting, keeping", async () => {
    const owner = scope("sim-owner");
    const id = (await startSimulation(db, PROGRAM, owner, SMALL()))!;
    expect((await waitForJob(PROGRAM, id, owner))?.status).toBe("done");
    for (const reader of [scope("sim-other-hr"), scope("sim-hr-elsewhere", "hr", "NO-SUCH-ORG"), scope("sim-rse", "rse"), scope("sim-sponsor", "sponsor")]) {
      expect(getJobStatus(PROGRAM, id, reader), reader.userId).toBeNull();
      expect(jobResult(PROGRAM, id, reader), reader.userId).toBeNull();
      expect(await waitForJob(PROGRAM, id, reader), reader.userId).toBeNull();
      expect(await keepJob(db, PROGRAM, id, reader), reader.userId).toBeNull();
    }
    expect(getJobStatus(PROGRAM, id, owner)?.run_id).toBeNull(); // nobody else kept it
    expect(getJobStatus(PROGRAM, id, ADMIN)?.status).toBe("done");
    expect(jobResult(PROGRAM, id, ADMIN)).toEqual(jobResult(PROGRAM, id, owner));
  }, 120_000);

  it("only admin and hr start simulations or keep them", async () => {
    for (const reader of [scope("sim-rse", "rse"), scope("sim-sponsor", "sponsor")]) {
      await expect(startSimulation(db, PROGRAM, reader, SMALL()), reader.role).rejects.toBeInstanceOf(SimulationNotAllowedError);
      await expect(startSimulation(db, PROGRAM, reader, SMALL())).rejects.toThrow(`Your role (${reader.role}) does not start simulations`);
    }
  });
});

describe("limits of running jobs", () => {
  const settle = async (starts: Promise<string | null>[], who: Scope[]) => {
    const settled = await Promise.allSettled(starts);
    await Promise.all(settled.map((s, i) => (s.status === "fulfilled" ? waitForJob(PROGRAM, s.value!, who[i]) : null)));
    return settled;
  };

  it("one running job per user: a second start while one runs is refused with a message", async () => {
    const user = scope("sim-busy");
    // Two starts at once (a double click): the second sees the first's slot.
    const settled = await settle([startSimulation(db, PROGRAM, user, SMALL()), startSimulation(db, PROGRAM, user, SMALL())], [user, user]);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected"]);
    const refusal = (settled[1] as PromiseRejectedResult).reason;
    expect(refusal).toBeInstanceOf(TooManySimulationsError);
    expect(refusal).toMatchObject({ limit: "user", max: JOB_LIMITS.perUser });
    expect(refusal.message).toMatch(/You already have a simulation running: wait for it to finish/);
    // One after the other, while the first still runs.
    const first = (await startSimulation(db, PROGRAM, user, SMALL()))!;
    expect(getJobStatus(PROGRAM, first, user)?.status).toBe("running");
    await expect(startSimulation(db, PROGRAM, user, SMALL())).rejects.toMatchObject({ limit: "user" });
    // Another user is not held up by it, and once it is over the user may start again.
    const other = scope("sim-neighbour");
    await settle([startSimulation(db, PROGRAM, other, SMALL())], [other]);
    await waitForJob(PROGRAM, first, user);
    expect((await settle([startSimulation(db, PROGRAM, user, SMALL())], [user]))[0].status).toBe("fulfilled");
  }, 120_000);

  it("the server-wide limit holds across users, even when they start at once", async () => {
    const max = simulationLimit();
    expect(max).toBe(JOB_LIMITS.total);
    const users = Array.from({ length: max + 2 }, (_, i) => scope(`sim-crowd-${i}`));
    const settled = await settle(users.map((u) => startSimulation(db, PROGRAM, u, SMALL())), users);
    expect(settled.filter((s) => s.status === "fulfilled")).toHaveLength(max);
    const refused = settled.filter((s): s is PromiseRejectedResult => s.status === "rejected").map((s) => s.reason);
    expect(refused).toHaveLength(2);
    for (const r of refused) expect(r).toMatchObject({ limit: "server", max, message: `${max} simulations are already running on this server (its limit): try again in a minute.` });
  }, 120_000);

  it("reads the server-wide limit from BINOME_SIMULATIONS_MAX and names a bad value", () => {
    expect(simulationLimit({})).toBe(JOB_LIMITS.total);
    expect(simulationLimit({ BINOME_SIMULATIONS_MAX: "3" })).toBe(3);
    for (const bad of ["0", "two", "1.5"]) expect(() => simulationLimit({ BINOME_SIMULATIONS_MAX: bad })).toThrow(`invalid BINOME_SIMULATIONS_MAX: "${bad}"`);
  });
});

describe("a new cohort's model provenance", () => {
  let result: SimulationResult;

  beforeAll(async () => {
    // alpha (fixture, organizations ORG1 and ORG2) has labelled pairs the demo users cannot open;
    // the new cohort mixes BEAUMANOIR (of octave-demo) and a new organization.
    expect((await ingestExport(db, [BASIC])).outcome).toBe("imported");
    const [{ name }] = await db.all<{ name: string }>("select name from organizations where org_id = $org", { org: ORG });
    const cohort = join(dir, NEW_COHORT);
    mkdirSync(cohort, { recursive: true });
    writeFileSync(join(cohort, "programs.csv"), `program_id,name,kind,start_date,end_date,currency\n${NEW_COHORT},New cohort 2027,inter,2027-01-10,2027-12-20,EUR\n`);
    writeFileSync(join(cohort, "organizations.csv"), `org_id,name,sector\n${ORG},${name},Services\nNC-B,Nouvelle B,Industrie\n`);
    writeFileSync(join(cohort, "topics.csv"), `topic_id,program_id,name,category\nT1,${NEW_COHORT},Onboarding,onboarding\nT2,${NEW_COHORT},Strategy,strategy\n`);
    const lines = ["participant_id,program_id,org_id,role,birth_year,gender,job_level,city,languages,topics,joined_at,trained_at"];
    for (let k = 0; k < 12; k++) lines.push(`NCM${k + 1},${NEW_COHORT},${k % 2 ? ORG : "NC-B"},mentor,${1965 + ((k * 7) % 25)},F,${3 + (k % 3)},Lyon,fr,T${1 + (k % 2)},2026-12-01,`);
    for (let k = 0; k < 14; k++) lines.push(`NCE${k + 1},${NEW_COHORT},${k % 2 ? "NC-B" : ORG},mentee,${1988 + ((k * 5) % 16)},M,${1 + (k % 3)},Paris,fr,T${1 + (k % 2)},2026-12-02,`);
    writeFileSync(join(cohort, "participants.csv"), lines.join("\n") + "\n");
    writeFileSync(join(cohort, "pairs.csv"), "pair_id,program_id,mentor_id,mentee_id,matched_at,ended_at,status,end_reason,match_score,reverse_since\n");
    const imported = await ingestExport(db, [cohort]);
    expect(imported.outcome, JSON.stringify(imported.problems?.slice(0, 3))).toBe("imported");
    const owner = scope("sim-nc-hr");
    const id = (await startSimulation(db, NEW_COHORT, owner, parseSimulationRequest(form([["strategy", "optimal"], ["runs", "1"], ["bootstrap", "10"]]))))!;
    expect((await waitForJob(NEW_COHORT, id, owner))?.error).toBeNull();
    result = jobResult(NEW_COHORT, id, owner)!;
    expect(result.program.is_new_cohort).toBe(true);
    expect([...result.model.trained_on].sort()).toEqual(["alpha", PROGRAM]);
  }, 120_000);

  it("names for admin every program the model learned from, with its counts", async () => {
    const view = resultView(result, "admin", null, 5, await openTrainingPrograms(db, ADMIN, result));
    expect(view.model).toMatchObject({ trained_on: result.model.trained_on, other_programs: 0, labelled: result.model.labelled });
    expect(view.model.labelled).toBeGreaterThan(0);
  });

  for (const role of ["hr", "rse", "sponsor"] as const) {
    it(`names for ${role} only the programs it may open, "1 other program" for the rest, and no counts`, async () => {
      const reader = scope(`sim-nc-${role}`, role);
      const view = resultView(result, role, ORG, 5, await openTrainingPrograms(db, reader, result));
      expect(view.model.trained_on).toEqual([PROGRAM]);
      expect(view.model.other_programs).toBe(1);
      expect(view.model).toMatchObject({ labelled: null, successes: null, failures: null });
      if (view.model.status === "ok") expect(view.model.held_out).toMatchObject({ brier_base_rate: null, calibration: [] });
      const json = JSON.stringify(view);
      expect(json).not.toContain("alpha");
      expect(json).not.toContain(`"labelled":${result.model.labelled}`);
      // Without the set of open programs, a non-admin view names nothing but the program itself.
      expect(resultView(result, role, ORG).model).toMatchObject({ trained_on: [], other_programs: 2, labelled: null });
    });
  }

  it("keeps the counts when every training program is the reader's to open", () => {
    const view = resultView(result, "hr", ORG, 5, new Set([NEW_COHORT, PROGRAM, "alpha"]));
    expect(view.model).toMatchObject({ other_programs: 0, labelled: result.model.labelled });
  });
});
