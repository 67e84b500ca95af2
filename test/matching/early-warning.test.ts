// Early warning: one model per horizon (1, 2, 3 months after matching) of "ends early within the
// next 3 months", trained on pairs whose window outcome is known — active pairs whose window is
// not over are censored, never counted as successes; its held-out AUC and calibration; too few
// pairs → insufficient_data; an active pair is scored by the latest horizon it reached; HR sees
// only the pairs of its organization, the other member anonymous; on octave-demo's data (SQL).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeEarlyWarning, earlyWarningOffThread, earlyWarningView } from "../../analytics/dashboards/early-warning.server.ts";
import { applySchema, openDatabase, type Db } from "../../analytics/db/database.server.ts";
import { ingestExport } from "../../analytics/ingest/index.server.ts";
import { earlyWarning, windowLabel, type EarlyWarningFacts } from "../../analytics/matching/early-warning.ts";
import { mulberry32 } from "../../analytics/matching/rng.ts";
import { generateDemo } from "../../seeds/generate.ts";

const facts = (over: Partial<EarlyWarningFacts>): EarlyWarningFacts => ({
  pair_id: "B1",
  mentor_id: "M1",
  mentee_id: "E1",
  mentor_org_id: "A",
  mentee_org_id: "B",
  month: 1,
  cutoff: "2025-02-01",
  is_reached: true,
  is_open_at_cutoff: true,
  status: "completed",
  is_ended_early_in_window: false,
  is_window_observed: true,
  meetings: 1,
  offline_meetings: 1,
  topics_acquired: 0,
  match_score: 0.5,
  is_cross_company: true,
  age_gap_years: 20,
  job_level_gap: 1,
  is_same_city: false,
  ...over,
});

describe("the window label", () => {
  it("is 1 for an early end in the window, 0 once the window is known to have passed without one, null while censored", () => {
    expect(windowLabel(facts({ status: "ended_early", is_ended_early_in_window: true }))).toBe(1);
    expect(windowLabel(facts({ status: "ended_early", is_ended_early_in_window: false, is_window_observed: true }))).toBe(0);
    expect(windowLabel(facts({ status: "completed", is_window_observed: false }))).toBe(0);
    expect(windowLabel(facts({ status: "active", is_window_observed: true }))).toBe(0);
    // Active and the window not over: censored, not a success.
    expect(windowLabel(facts({ status: "active", is_window_observed: false }))).toBeNull();
    // Not open at the horizon, or the horizon not reached: not in that horizon's model.
    expect(windowLabel(facts({ is_open_at_cutoff: false, status: "ended_early", is_ended_early_in_window: true }))).toBeNull();
    expect(windowLabel(facts({ is_reached: false }))).toBeNull();
  });
});

/** Pairs whose early ending depends on meetings in the first months (fewer meetings, more endings). */
function synthetic(n: number, seed: number): EarlyWarningFacts[] {
  const rng = mulberry32(seed);
  const out: EarlyWarningFacts[] = [];
  for (let i = 0; i < n; i++) {
    const perMonth = Math.floor(rng() * 3);
    const risk = 1 / (1 + Math.exp(-(1.5 - 2.2 * perMonth)));
    const endsAt = rng() < risk ? 1 + Math.floor(rng() * 5) : null; // months after matching
    const active = i % 10 === 0;
    for (const month of [1, 2, 3]) {
      const open = endsAt === null || endsAt >= month;
      out.push(
        facts({
          pair_id: `B${String(i).padStart(4, "0")}`,
          mentor_org_id: i % 2 ? "A" : "B",
          mentee_org_id: "B",
          month,
          is_open_at_cutoff: open,
          status: active && endsAt === null ? "active" : endsAt === null ? "completed" : "ended_early",
          is_ended_early_in_window: endsAt !== null && endsAt >= month && endsAt < month + 3,
          is_window_observed: !active,
          meetings: perMonth * month,
          offline_meetings: perMonth * month,
          match_score: rng(),
        }),
      );
    }
  }
  return out;
}

describe("the early-warning model", () => {
  const data = synthetic(400, 7);
  const warning = earlyWarning(data, { seed: 1, bootstrap: 20 });

  it("learns at each horizon, with a held-out AUC well above chance and a calibration table", () => {
    expect(warning.horizons.map((h) => [h.month, h.status])).toEqual([[1, "ok"], [2, "ok"], [3, "ok"]]);
    for (const h of warning.horizons) {
      if (h.status !== "ok") throw new Error("expected a model");
      expect(h.held_out.auc!).toBeGreaterThan(0.7);
      expect(h.held_out.brier).toBeLessThan(h.held_out.brier_base_rate);
      expect(h.held_out.calibration.reduce((a, b) => a + b.n, 0)).toBe(h.labelled);
      // Fewer meetings, higher risk: the meetings effect is negative beyond its interval.
      const meetings = h.effects.find((e) => e.feature === "meetings")!;
      expect(meetings.per_sd_ci[1]).toBeLessThan(0);
    }
  });

  it("never trains on censored pairs", () => {
    const censored = data.filter((f) => f.month === 1 && windowLabel(f) === null && f.is_open_at_cutoff).length;
    expect(censored).toBeGreaterThan(0);
    const h1 = warning.horizons[0];
    expect(h1.labelled).toBe(data.filter((f) => f.month === 1 && windowLabel(f) !== null).length);
  });

  it("scores each active pair once, by the latest horizon it reached, highest risk first", () => {
    const active = new Set(data.filter((f) => f.status === "active").map((f) => f.pair_id));
    expect(warning.pairs.map((p) => p.pair_id).sort()).toEqual([...active].sort());
    expect(warning.pairs.every((p) => p.month === 3)).toBe(true);
    for (let i = 1; i < warning.pairs.length; i++) expect(warning.pairs[i - 1].risk).toBeGreaterThanOrEqual(warning.pairs[i].risk);
    // A pair that reached only its first month is scored by the 1-month model; one that reached none is not scored.
    const young = earlyWarning(
      [...data, facts({ pair_id: "Y1", status: "active", month: 1, is_window_observed: false }), facts({ pair_id: "Y1", status: "active", month: 2, is_reached: false, is_window_observed: false }), facts({ pair_id: "Y2", status: "active", month: 1, is_reached: false, is_window_observed: false })],
      { seed: 1, bootstrap: 20 },
    );
    expect(young.pairs.find((p) => p.pair_id === "Y1")?.month).toBe(1);
    expect(young.unscored.map((u) => u.pair_id)).toEqual(["Y2"]);
  });

  it("degrades to insufficient_data with the counts when too few pairs or events are known", () => {
    const small = synthetic(20, 3);
    const few = earlyWarning(small, { seed: 1, bootstrap: 20 });
    for (const h of few.horizons) {
      expect(h.status).toBe("insufficient_data");
      if (h.status === "insufficient_data") expect(h.message).toMatch(/^not enough pairs to learn early termination at \d months?: \d+ pairs open then/);
    }
    expect(few.pairs).toEqual([]);
    expect(few.unscored.length).toBe(new Set(small.filter((f) => f.status === "active").map((f) => f.pair_id)).size);
    expect(few.unscored.length).toBeGreaterThan(0);
  });

  it("is deterministic", () => {
    expect(earlyWarning(data, { seed: 1, bootstrap: 20 })).toEqual(warning);
  });

  it("gives the same result fitted on a worker thread (the server's path for a large program, so it keeps answering)", async () => {
    const off = await earlyWarningOffThread(data, 3);
    expect(off).toEqual(earlyWarning(data, { seed: 3 }));
    expect(off.pairs.length).toBeGreaterThan(0);
  }, 60_000);

  it("shows HR only the pairs with a member of its organization, the other member anonymous, and no calibration bin under k", () => {
    const all = { ...warning, program_id: "p", as_of: "2026-01-01" };
    const hr = earlyWarningView(all, { kind: "org", orgId: "A" }, 5);
    expect(hr.pairs.length).toBe(warning.pairs.filter((p) => p.mentor_org_id === "A").length);
    for (const p of hr.pairs) expect([p.mentor_id, p.mentee_id]).toEqual(["M1", null]);
    for (const h of hr.horizons) if (h.status === "ok") for (const bin of h.held_out.calibration) expect(bin.n).toBeGreaterThanOrEqual(5);
    expect(earlyWarningView(all, { kind: "all" }).pairs.length).toBe(warning.pairs.length);
  });
});

describe("on octave-demo's recorded data", () => {
  let db: Db;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "binome-ew-"));
    const { folders } = await generateDemo({ outDir: dir, programs: ["octave-demo"] });
    db = await openDatabase(":memory:");
    await applySchema(db);
    for (const folder of folders) expect((await ingestExport(db, [folder.dir])).outcome).toBe("imported");
  });
  afterAll(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads the facts known at each horizon from the database, and scores the pairs active at an earlier as_of", async () => {
    const end = (await computeEarlyWarning(db, "octave-demo", "2026-05-31"))!;
    expect(end.as_of).toBe("2026-05-31");
    expect(end.horizons[0]).toMatchObject({ month: 1, status: "ok", labelled: 49 });
    expect(end.pairs).toEqual([]);
    const mid = (await computeEarlyWarning(db, "octave-demo", "2025-12-15"))!;
    const active = await db.all<{ n: number }>(
      "select count(*)::integer as n from pairs where program_id = 'octave-demo' and matched_at <= date '2025-12-15' and (ended_at is null or ended_at > date '2025-12-15')",
    );
    expect(mid.pairs.length + mid.unscored.length).toBeGreaterThan(0);
    expect(mid.pairs.length + mid.unscored.length).toBeLessThanOrEqual(active[0].n);
    expect(await computeEarlyWarning(db, "nope")).toBeNull();
  });
});
