/**
 * The simulations on the demo programs, read from DuckDB: large-demo (whose generating model
 * is known, seeds/README.md) and octave-demo generated and imported through the real
 * ingestion into one in-memory database, plus the `basic` fixture and a new cohort.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, openDatabase, type Db } from "../../analytics/db/database.server.ts";
import { formatProblem, ingestExport } from "../../analytics/ingest/index.server.ts";
import { loadProgram } from "../../analytics/matching/load.server.ts";
import { proposalCsv } from "../../analytics/matching/proposal.ts";
import { getRun } from "../../analytics/matching/runs.server.ts";
import { simulateProgram, UnknownProgramError, type SimulateResult } from "../../analytics/matching/simulate.server.ts";
import { STRATEGIES } from "../../analytics/matching/strategies.ts";
import { getProgramReport } from "../../analytics/report/report.server.ts";
import { defaultWeights, type Weights } from "../../analytics/matching/weights.ts";
import { generateDemo } from "../../seeds/generate.ts";

const BASIC = fileURLToPath(new URL("../fixtures/exports/basic", import.meta.url));
let root: string;
let db: Db;
let large: SimulateResult;

async function ingest(dir: string) {
  const result = await ingestExport(db, [dir]);
  if (result.outcome !== "imported") throw new Error(`${dir}: ${result.outcome}\n${result.problems.map(formatProblem).join("\n")}`);
  return result;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "binome-simulate-"));
  const { folders } = await generateDemo({ outDir: join(root, "demo"), programs: ["octave-demo", "large-demo"] });
  db = await openDatabase(":memory:");
  await applySchema(db);
  for (const folder of folders) await ingest(folder.dir);
  large = await simulateProgram(db, "large-demo", { strategies: STRATEGIES, runs: 6, seed: 7, workers: 0, bootstrap: 100 });
});

afterAll(() => {
  db?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

const byStrategy = (sim: SimulateResult, name: string) => {
  const found = sim.result.strategies.find((s) => s.strategy === name);
  if (!found) throw new Error(`no ${name} in the result`);
  return found;
};

describe("the outcome model on large-demo", () => {
  it("recovers the sign and the order of the true effects (per SD)", () => {
    const model = large.result.model;
    if (model.status !== "ok") throw new Error(model.message);
    const effect = (name: string) => model.effects.find((e) => e.feature === name)!.per_sd;
    // seeds/README.md: topic fit (+) > same city (+) > age-gap distance (−) > cross-company (+) > job-level gap (−).
    const truth: [string, number][] = [
      ["topic_fit", 1],
      ["same_city", 1],
      ["age_gap_distance", -1],
      ["cross_company", 1],
      ["job_level_gap", -1],
    ];
    for (const [name, sign] of truth) expect(Math.sign(effect(name)), name).toBe(sign);
    const magnitudes = truth.map(([name]) => Math.abs(effect(name)));
    for (let k = 1; k < magnitudes.length; k++) expect(magnitudes[k - 1], `${truth[k - 1][0]} > ${truth[k][0]}`).toBeGreaterThan(magnitudes[k]);
    // Shared language has no true effect.
    expect(Math.abs(effect("shared_language"))).toBeLessThan(magnitudes[4]);
    expect(model.held_out.auc).toBeGreaterThan(0.75);
    expect(model.held_out.brier).toBeLessThan(model.held_out.brier_base_rate);
    expect(model.held_out.calibration).toHaveLength(10);
    for (const bin of model.held_out.calibration) expect(Math.abs(bin.mean_predicted - bin.observed_rate)).toBeLessThan(0.2);
  });

  it("optimal and reach beat random on predicted success, beyond their intervals", () => {
    const random = byStrategy(large, "random").predicted_success!;
    for (const name of ["optimal", "reach"]) {
      const s = byStrategy(large, name).predicted_success!;
      expect(s.low, name).toBeGreaterThan(random.high);
      expect(s.low).toBeLessThanOrEqual(s.mean);
      expect(s.high).toBeGreaterThanOrEqual(s.mean);
    }
    // reach trades a little compatibility for more cross-generation and cross-company pairs.
    expect(byStrategy(large, "reach").cross_generation_rate.mean!).toBeGreaterThan(byStrategy(large, "optimal").cross_generation_rate.mean!);
    expect(byStrategy(large, "reach").cross_company_rate.mean!).toBeGreaterThan(byStrategy(large, "optimal").cross_company_rate.mean!);
    expect(byStrategy(large, "optimal").compatibility_mean.mean!).toBeGreaterThanOrEqual(byStrategy(large, "greedy").compatibility_mean.mean!);
  });

  it("every strategy but recorded respects the capacities; stable has no blocking pair; coverage is full", () => {
    for (const s of large.result.strategies) {
      if (s.strategy !== "recorded") expect(s.mentor_load.over_capacity, s.strategy).toBe(0);
      // 940 mentors of capacity 1 for 1,060 mentees.
      expect(s.coverage.mean, s.strategy).toBeCloseTo(940 / 1060, 12);
    }
    expect(byStrategy(large, "stable").blocking_pairs).toMatchObject({ mean: 0, low: 0, high: 0 });
    const fairness = byStrategy(large, "optimal").fairness;
    expect(fairness.by_organization.length).toBe(4);
    expect(fairness.gap_organization).not.toBeNull();
    expect(fairness.by_generation.map((g) => g.group)).toEqual(["boomers", "gen_x", "millennials", "gen_z"]);
  });
});

describe("a model trained on another program", () => {
  it("reports its quality on the simulated program's labelled pairs", async () => {
    const sim = await simulateProgram(db, "octave-demo", { strategies: ["optimal"], runs: 1, seed: 2, bootstrap: 20, trainPrograms: ["large-demo"], store: false });
    const model = sim.result.model;
    if (model.status !== "ok") throw new Error(model.message);
    expect(model.trained_on).toEqual(["large-demo"]);
    expect(model.held_out_program).toMatchObject({ program_id: "octave-demo" });
    expect(model.held_out_program!.labelled).toBeGreaterThan(30);
    // Same generating model in both demos: the large-demo fit ranks octave-demo's pairs well.
    expect(model.held_out_program!.auc).toBeGreaterThan(0.7);
    expect(large.result.model.status === "ok" && large.result.model.held_out_program).toBeNull();
  });
});

describe("the recorded strategy", () => {
  for (const programId of ["large-demo", "octave-demo"]) {
    it(`agrees with the report's cross-generation rate and median age gap (${programId})`, async () => {
      const sim = programId === "large-demo" ? large : await simulateProgram(db, programId, { strategies: ["recorded"], runs: 1, seed: 1, store: false });
      const report = (await getProgramReport(db, programId))!;
      const recorded = byStrategy(sim, "recorded");
      expect(recorded.pairs.mean).toBe(report.pairs.total);
      expect(recorded.cross_generation_rate.mean).toBeCloseTo(report.generations.cross_generation_pair_rate!, 12);
      expect(recorded.median_age_gap_years.mean).toBeCloseTo(report.generations.median_age_gap_years!, 12);
      expect(recorded.coverage.mean).toBeCloseTo(report.participants.matched_mentees / report.participants.mentees, 12);
    });
  }
});

describe("hard constraints from the weights file, on octave-demo", () => {
  it("no strategy breaks a capacity, a forbidden pair, the minimum age gap or required cross-company", async () => {
    const program = (await loadProgram(db, "octave-demo"))!;
    const base = defaultWeights();
    const forbidden = program.pairs.slice(0, 10).map((p) => ({ mentor_id: p.mentorId, mentee_id: p.menteeId }));
    const weights: Weights = {
      ...base,
      cross_company: { intra: "require", inter: "require" },
      constraints: {
        mentor_capacity: 2,
        mentor_capacities: { [program.mentors[0].id]: 0, [program.mentors[1].id]: 3 },
        forbidden_pairs: forbidden,
        min_age_gap_years: 5,
      },
    };
    const sim = await simulateProgram(db, "octave-demo", { strategies: STRATEGIES, runs: 3, seed: 3, weights, store: false });
    const mentorsById = new Map(program.mentors.map((p) => [p.id, p]));
    const menteesById = new Map(program.mentees.map((p) => [p.id, p]));
    const isForbidden = new Set(forbidden.map((f) => `${f.mentor_id}|${f.mentee_id}`));
    for (const strategy of STRATEGIES.filter((s) => s !== "recorded")) {
      const m = sim.matching(strategy);
      expect(m.mentee.length, strategy).toBeGreaterThan(30);
      const load = new Map<string, number>();
      for (let k = 0; k < m.mentee.length; k++) {
        const mentor = mentorsById.get(sim.enc.mentors.ids[m.mentor[k]])!;
        const mentee = menteesById.get(sim.enc.mentees.ids[m.mentee[k]])!;
        expect(isForbidden.has(`${mentor.id}|${mentee.id}`), `${strategy}: forbidden pair`).toBe(false);
        expect(mentor.orgId, `${strategy}: same company`).not.toBe(mentee.orgId);
        expect(Math.abs(mentee.birthYear - mentor.birthYear), `${strategy}: age gap`).toBeGreaterThanOrEqual(5);
        load.set(mentor.id, (load.get(mentor.id) ?? 0) + 1);
      }
      for (const [id, n] of load) {
        const capacity = id === program.mentors[0].id ? 0 : id === program.mentors[1].id ? 3 : 2;
        expect(n, `${strategy}: load of ${id}`).toBeLessThanOrEqual(capacity);
      }
    }
    expect(byStrategy(sim, "stable").blocking_pairs.mean).toBe(0);
  });
});

describe("runs", () => {
  it("are stored with their seed, parameters and code version, and re-run to the same results", async () => {
    expect(large.runId).not.toBeNull();
    const stored = (await getRun(db, large.runId!))!;
    expect(stored.program_id).toBe("large-demo");
    expect(stored.seed).toBe(7);
    expect(stored.strategies).toEqual([...STRATEGIES]);
    expect(stored.code_version).toMatch(/\S/);
    expect(stored.results).toEqual(JSON.parse(JSON.stringify(large.result)));
    const again = await simulateProgram(db, "large-demo", {
      strategies: ["random", "stable"],
      runs: stored.runs,
      seed: stored.seed,
      bootstrap: 100,
      workers: 0,
      store: false,
    });
    // The gain over the recorded pairs exists only in a run that has them: compared without it.
    const pick = (r: { strategies: { strategy: string; gain_over_recorded?: unknown }[] }) =>
      r.strategies.filter((s) => s.strategy === "random" || s.strategy === "stable").map(({ gain_over_recorded: _gain, ...s }) => s);
    expect(JSON.parse(JSON.stringify(pick(again.result)))).toEqual(pick(stored.results));
  });

  it("give the same result with 0, 1 or 2 worker threads", async () => {
    const options = { strategies: ["random", "stable"] as const, runs: 5, seed: 99, bootstrap: 50, store: false };
    const results = [];
    for (const workers of [0, 1, 2]) {
      const sim = await simulateProgram(db, "octave-demo", { ...options, strategies: [...options.strategies], workers });
      results.push(JSON.stringify(sim.result));
    }
    expect(results[1]).toBe(results[0]);
    expect(results[2]).toBe(results[0]);
    const other = await simulateProgram(db, "octave-demo", { ...options, strategies: [...options.strategies], seed: 100, workers: 0 });
    expect(JSON.stringify(other.result)).not.toBe(results[0]);
  });

  it("refuse an unknown program", async () => {
    await expect(simulateProgram(db, "nope", { strategies: ["optimal"], runs: 1, seed: 1 })).rejects.toBeInstanceOf(UnknownProgramError);
  });
});

describe("small programs and new cohorts", () => {
  it("says 'insufficient data' instead of predicting when there are too few labelled pairs", async () => {
    await ingest(BASIC);
    const sim = await simulateProgram(db, "alpha", { strategies: ["recorded", "optimal", "random"], runs: 3, seed: 1, store: false });
    expect(sim.result.model).toMatchObject({ status: "insufficient_data", trained_on: ["alpha"] });
    if (sim.result.model.status === "insufficient_data") expect(sim.result.model.labelled).toBeLessThan(30);
    for (const s of sim.result.strategies) {
      expect(s.predicted_success).toBeNull();
      expect(s.fairness.measure).toBe("compatibility_mean");
    }
  });

  it("proposes pairs for a cohort without pairs, written as a pairs file that the ingestion takes", async () => {
    const dir = join(root, "new-cohort");
    writeNewCohort(dir, 20, 24);
    await ingest(dir);
    const sim = await simulateProgram(db, "new-cohort", { strategies: STRATEGIES, runs: 3, seed: 5, store: false });
    expect(sim.result.program.is_new_cohort).toBe(true);
    expect(sim.result.skipped).toEqual([{ strategy: "recorded", reason: expect.stringContaining("new cohort") }]);
    expect(sim.result.strategies.map((s) => s.strategy)).toEqual(STRATEGIES.filter((s) => s !== "recorded"));
    // The model learns from the other programs with labels.
    expect(sim.result.model.status).toBe("ok");
    expect(sim.result.model.trained_on).toEqual(expect.arrayContaining(["large-demo", "octave-demo"]));
    for (const s of sim.result.strategies) expect(s.pairs.mean, s.strategy).toBe(20);

    const matching = sim.matching("optimal");
    writeFileSync(join(dir, "pairs.csv"), proposalCsv("new-cohort", sim.enc, sim.scoreOf, matching, { matchedAt: "2027-01-15" }));
    const reimport = await ingest(dir);
    expect(reimport.programs).toEqual([{ program_id: "new-cohort", action: "replaced" }]);
    const rows = await db.all<{ n: number; mentors: number; min_score: number }>(
      "select count(*) as n, count(distinct mentor_id) as mentors, min(match_score) as min_score from pairs where program_id = 'new-cohort'",
    );
    expect(rows[0]).toMatchObject({ n: 20, mentors: 20 });
    expect(rows[0].min_score).toBeGreaterThan(0);
    const lines = readFileSync(join(dir, "pairs.csv"), "utf8").trim().split("\n");
    expect(lines[0]).toBe("pair_id,program_id,mentor_id,mentee_id,matched_at,ended_at,status,end_reason,match_score,reverse_since");
    expect(lines[1]).toMatch(/^SIM-01,new-cohort,M\d+,E\d+,2027-01-15,,active,,0\.\d{4},$/);
  });
});

/** A small intra-company cohort (plain dialect) with no pairs yet. */
function writeNewCohort(dir: string, mentors: number, mentees: number) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "programs.csv"), "program_id,name,kind,start_date,end_date,currency\nnew-cohort,New cohort 2027,intra,2027-01-10,2027-12-20,EUR\n");
  writeFileSync(join(dir, "organizations.csv"), "org_id,name,sector\nNC-A,Nouvelle A,Services\nNC-B,Nouvelle B,Industrie\n");
  writeFileSync(join(dir, "topics.csv"), "topic_id,program_id,name,category\nT1,new-cohort,Onboarding,onboarding\nT2,new-cohort,Strategy,strategy\nT3,new-cohort,Digital,digital\n");
  const lines = ["participant_id,program_id,org_id,role,birth_year,gender,job_level,city,languages,topics,joined_at,trained_at"];
  const cities = ["Lyon", "Paris", "Lille"];
  for (let k = 0; k < mentors; k++) {
    lines.push(`M${k + 1},new-cohort,NC-${"AB"[k % 2]},mentor,${1965 + ((k * 7) % 25)},F,${3 + (k % 3)},${cities[k % 3]},fr|en,T${1 + (k % 3)}|T${1 + ((k + 1) % 3)},2026-12-01,`);
  }
  for (let k = 0; k < mentees; k++) {
    lines.push(`E${k + 1},new-cohort,NC-${"AB"[(k + 1) % 2]},mentee,${1988 + ((k * 5) % 16)},M,${1 + (k % 3)},${cities[(k + 1) % 3]},fr,T${1 + (k % 3)},2026-12-02,`);
  }
  writeFileSync(join(dir, "participants.csv"), lines.join("\n") + "\n");
  writeFileSync(join(dir, "pairs.csv"), "pair_id,program_id,mentor_id,mentee_id,matched_at,ended_at,status,end_reason,match_score,reverse_since\n");
}
