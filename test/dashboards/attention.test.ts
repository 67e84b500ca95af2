// The attention list (issue 14, item 3) on the demo programs, read from DuckDB: the pairs that
// need a check-in are the report's at-risk pairs (admin) or their hr-visible subset (hr);
// the three categories partition the active pairs the reader may see; hr sees no other
// organization's ids; within a category the early-warning score orders the pairs (highest risk
// first, unscored pairs last) and never moves a pair between categories; with no model the
// order is the matched date. Plus the pure selection: category, reason, sort, pages.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { IndividualsScope } from "../../analytics/auth/scope.server.ts";
import {
  ATTENTION_CATEGORIES,
  DEFAULT_QUERY,
  attentionParams,
  parseAttentionQuery,
  selectAttention,
  type AttentionData,
  type AttentionPair,
} from "../../analytics/dashboards/attention.ts";
import { ATTENTION_CSV_COLUMNS, attentionCsv, getAttention, getAttentionCounts } from "../../analytics/dashboards/attention.server.ts";
import type { DashboardContext } from "../../analytics/dashboards/context.server.ts";
import { getAttentionCsv } from "../../analytics/dashboards/pages.server.ts";
import { BOM } from "../../analytics/domain/csv.ts";
import { clearPageCache } from "../../analytics/metrics/cache.server.ts";
import { getEarlyWarning } from "../../analytics/dashboards/early-warning.server.ts";
import { NO_FILTERS } from "../../analytics/domain/filters.ts";
import { getPairsArrow } from "../../analytics/dashboards/pairs-arrow.server.ts";
import { applySchema, openDatabase, type Db } from "../../analytics/db/database.server.ts";
import { ingestExport } from "../../analytics/ingest/index.server.ts";
import { getProgramReport } from "../../analytics/report/report.server.ts";
import { generateDemo } from "../../seeds/generate.ts";
import { openFixtureDb } from "../metrics/helpers.ts";

const ALL: IndividualsScope = { kind: "all" };

/** How many times an early-warning model was fitted (the function is the real one). */
const fits = vi.hoisted(() => ({ count: 0 }));
vi.mock("../../analytics/matching/early-warning.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../analytics/matching/early-warning.ts")>();
  return {
    ...original,
    earlyWarning: (...args: Parameters<typeof original.earlyWarning>) => {
      fits.count++;
      return original.earlyWarning(...args);
    },
  };
});
const PROGRAMS = ["octave-demo", "large-demo"] as const;

/** Each category's pairs, in list order. */
function byCategory(pairs: readonly AttentionPair[]) {
  return Object.fromEntries(ATTENTION_CATEGORIES.map((c) => [c, pairs.filter((p) => p.category === c)]));
}

/** The order the list promises inside a category: scored pairs by risk (descending), then unscored by matched date. */
function expectRiskOrder(pairs: readonly AttentionPair[]) {
  for (let i = 1; i < pairs.length; i++) {
    const [a, b] = [pairs[i - 1], pairs[i]];
    if (a.risk !== null && b.risk !== null) expect(a.risk, `${a.pair_id} before ${b.pair_id}`).toBeGreaterThanOrEqual(b.risk);
    else if (a.risk === null) {
      expect(b.risk, `${a.pair_id} (unscored) before ${b.pair_id} (scored)`).toBeNull();
      expect(a.matched_at <= b.matched_at).toBe(true);
    }
  }
}

describe("the attention list on the demo programs", () => {
  let db: Db;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "binome-attention-"));
    const { folders } = await generateDemo({ outDir: dir, programs: [...PROGRAMS] });
    db = await openDatabase(":memory:");
    await applySchema(db);
    for (const folder of folders) expect((await ingestExport(db, [folder.dir])).outcome).toBe("imported");
    clearPageCache();
  }, 240_000);
  afterAll(() => {
    db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("large-demo: does not wait for the early-warning model's first fit; matched order for now, the same categories", async () => {
    clearPageCache();
    // Asked while the model is being fitted (at 200,000 participants the first fit took 100 s):
    const pending = (await getAttention(db, "large-demo", ALL, NO_FILTERS, { modelWaitMs: 0 }))!;
    expect(pending).toMatchObject({ model_pending: true, ordering: "matched", model_messages: [] });
    expect(pending.pairs.every((p) => p.risk === null)).toBe(true);
    const matched = [...pending.pairs].sort((a, b) => a.category.localeCompare(b.category) || a.matched_at.localeCompare(b.matched_at) || a.pair_id.localeCompare(b.pair_id));
    expect(new Set(pending.pairs.map((p) => p.pair_id)).size).toBe(matched.length);
    // The fit went on: the next list waits for it and is ordered by risk, with the same pairs in each category.
    const ready = (await getAttention(db, "large-demo", ALL))!;
    expect(ready).toMatchObject({ model_pending: false, ordering: "risk" });
    expect(selectAttention(ready, DEFAULT_QUERY).counts).toEqual(selectAttention(pending, DEFAULT_QUERY).counts);
    const byCategory = (list: typeof ready) => Object.fromEntries(["needs_check_in", "too_early", "on_track"].map((c) => [c, list.pairs.filter((p) => p.category === c).map((p) => p.pair_id).sort()]));
    expect(byCategory(ready)).toEqual(byCategory(pending));
  });

  for (const programId of PROGRAMS) {
    it(`${programId} (admin): needs a check-in = the report's at-risk pairs; the categories partition the active pairs`, async () => {
      const report = (await getProgramReport(db, programId))!;
      const list = (await getAttention(db, programId, ALL))!;
      const { counts } = selectAttention(list, DEFAULT_QUERY);
      // octave-demo is over (no active pair: 0 = 0); large-demo has hundreds.
      if (programId === "large-demo") expect(counts.needs_check_in).toBeGreaterThan(100);
      expect(counts.needs_check_in).toBe(report.quality.at_risk_pairs);
      expect(counts.needs_check_in + counts.too_early + counts.on_track).toBe(report.pairs.active);
      expect(new Set(list.pairs.map((p) => p.pair_id)).size).toBe(list.pairs.length);
      // The categories, read from the pairs detail the Arrow download serves (another query).
      const arrow = tableFromIPC((await getPairsArrow(db, programId, ALL))!.ipc).toArray().map((r) => r.toJSON());
      const active = arrow.filter((r) => r.status === "active");
      expect(new Set(list.pairs.map((p) => p.pair_id))).toEqual(new Set(active.map((r) => r.pair_id)));
      const atRisk = new Set(active.filter((r) => r.is_at_risk).map((r) => r.pair_id));
      for (const p of list.pairs) {
        expect(p.category === "needs_check_in", p.pair_id).toBe(atRisk.has(p.pair_id));
        const days = (Date.parse(list.as_of) - Date.parse(p.matched_at)) / 86_400_000;
        expect(p.days_since_match).toBe(days);
        if (p.category === "too_early") expect(days).toBeLessThan(45);
        if (p.category === "on_track") expect(days).toBeGreaterThanOrEqual(45);
        // A pair that needs a check-in has a reason; the others have none.
        const reasons = [p.flagged_at_midpoint, p.no_midpoint_evaluation, p.no_recent_meeting].filter(Boolean).length;
        expect(reasons > 0, p.pair_id).toBe(p.category === "needs_check_in");
      }
    });

    it(`${programId}: the overview's tile counts the list's categories without fitting the early-warning model`, async () => {
      clearPageCache();
      fits.count = 0;
      const counts = await getAttentionCounts(db, programId, ALL);
      const hrCounts = await getAttentionCounts(db, programId, { kind: "org", orgId: "RAVEL-ENERGIE" });
      // The tile must not wait for the model (46.7 s at 200,000 participants after a start).
      expect(fits.count).toBe(0);
      expect(counts).toEqual(selectAttention((await getAttention(db, programId, ALL))!, DEFAULT_QUERY).counts);
      expect(hrCounts).toEqual(selectAttention((await getAttention(db, programId, { kind: "org", orgId: "RAVEL-ENERGIE" }))!, DEFAULT_QUERY).counts);
      expect(fits.count).toBe(1); // the list itself is scored, once per data version
      expect(await getAttentionCounts(db, "no-such-program", ALL)).toBeNull();
    });

    it(`${programId} (hr of each organization): the hr-visible subset, with no other organization's ids`, async () => {
      const admin = (await getAttention(db, programId, ALL))!;
      const orgs = (await db.all<{ org_id: string }>("select distinct org_id from participants where program_id = $p order by 1", { p: programId })).map((r) => r.org_id);
      expect(orgs.length).toBeGreaterThan(1);
      const others = await db.all<{ participant_id: string; org_id: string }>("select participant_id, org_id from participants where program_id = $p", { p: programId });
      for (const org of orgs) {
        const hr = (await getAttention(db, programId, { kind: "org", orgId: org }))!;
        const full = new Map(admin.pairs.map((p) => [p.pair_id, p]));
        const expected = admin.pairs.filter((p) => p.mentor_org_id === org || p.mentee_org_id === org);
        expect(hr.pairs.map((p) => p.pair_id).sort()).toEqual(expected.map((p) => p.pair_id).sort());
        expect(selectAttention(hr, DEFAULT_QUERY).counts.needs_check_in).toBe(expected.filter((p) => p.category === "needs_check_in").length);
        const foreign = new Set(others.filter((o) => o.org_id !== org).map((o) => o.participant_id));
        for (const p of hr.pairs) {
          const a = full.get(p.pair_id)!;
          expect(p.category).toBe(a.category);
          expect(p.risk).toBe(a.risk);
          for (const side of ["mentor", "mentee"] as const) {
            const own = a[`${side}_org_id`] === org;
            expect(p[`${side}_id`]).toBe(own ? a[`${side}_id`] : null);
            expect(p[`${side}_org_id`]).toBe(own ? org : null);
          }
          expect(JSON.stringify(p).match(/"P\d+"/g)?.filter((id) => foreign.has(id.slice(1, -1))) ?? []).toEqual([]);
        }
      }
    });

    it(`${programId}: the early-warning score orders each category and never moves a pair`, async () => {
      const list = (await getAttention(db, programId, ALL))!;
      const warning = (await getEarlyWarning(db, programId))!;
      const scores = new Map(warning.pairs.map((p) => [p.pair_id, p.risk]));
      for (const p of list.pairs) expect(p.risk).toBe(scores.get(p.pair_id) ?? null);
      const modelled = warning.horizons.some((h) => h.status === "ok");
      expect(list.ordering).toBe(modelled ? "risk" : "matched");
      const selection = selectAttention(list, DEFAULT_QUERY, null);
      // Categories in their order, each as one block.
      const order = selection.rows.map((p) => ATTENTION_CATEGORIES.indexOf(p.category));
      expect(order).toEqual([...order].sort((a, b) => a - b));
      for (const pairs of Object.values(byCategory(selection.rows))) {
        if (list.ordering === "risk") expectRiskOrder(pairs);
        else for (let i = 1; i < pairs.length; i++) expect(pairs[i - 1].matched_at <= pairs[i].matched_at).toBe(true);
      }
      // Sorting by another column reorders inside the categories only.
      const byMatched = selectAttention(list, { ...DEFAULT_QUERY, sort: "matched", dir: "desc" }, null);
      expect(byMatched.rows.map((p) => p.category)).toEqual(selection.rows.map((p) => p.category));
    });
  }

  it("says when the program is over: octave-demo ended on 31 May 2026, large-demo runs until February 2027", async () => {
    // The list of a program that is over shows the pairs as they stood on its last day (none for
    // octave-demo): the page says so rather than leave every category empty without a reason.
    expect((await getAttention(db, "octave-demo", ALL))!).toMatchObject({ as_of: "2026-05-31", ended_on: "2026-05-31" });
    expect((await getAttention(db, "large-demo", ALL))!.ended_on).toBeNull();
  });

  it("large-demo: the model scores pairs, at least one category holds scored pairs in a non-trivial order", async () => {
    const list = (await getAttention(db, "large-demo", ALL))!;
    expect(list.ordering).toBe("risk");
    const needs = list.pairs.filter((p) => p.category === "needs_check_in");
    expect(needs.length).toBeGreaterThan(100);
    const scored = needs.filter((p) => p.risk !== null);
    expect(scored.length).toBeGreaterThan(10);
    // Not the matched order: the score does the ordering.
    const matchedOrder = [...scored].sort((a, b) => a.matched_at.localeCompare(b.matched_at) || a.pair_id.localeCompare(b.pair_id));
    expect(scored.map((p) => p.pair_id)).not.toEqual(matchedOrder.map((p) => p.pair_id));
  });

  it("large-demo: the filters bar's filters narrow the list (an organization: the pairs with a member of it)", async () => {
    const all = (await getAttention(db, "large-demo", ALL))!;
    const org = "RAVEL-ENERGIE";
    const filtered = (await getAttention(db, "large-demo", ALL, { ...NO_FILTERS, org }))!;
    expect(filtered.pairs.map((p) => p.pair_id).sort()).toEqual(all.pairs.filter((p) => p.mentor_org_id === org || p.mentee_org_id === org).map((p) => p.pair_id).sort());
    const mentors = (await getAttention(db, "large-demo", ALL, { ...NO_FILTERS, org, role: "mentor" }))!;
    expect(mentors.pairs.every((p) => p.mentor_org_id === org)).toBe(true);
    expect(mentors.pairs.length).toBeLessThan(filtered.pairs.length);
  });

  it("large-demo: the CSV download is written once per data version, reader's scope, filters, selection and language", async () => {
    const ctx = (role: "admin" | "hr", orgId: string | null, filters = NO_FILTERS): DashboardContext => ({
      scope: { userId: `u_${role}`, role, orgId },
      audience: role === "admin" ? "admin" : "hr",
      k: role === "admin" ? null : 5,
      orgId,
      filters,
      notices: [],
    });
    const query = { ...DEFAULT_QUERY, category: "needs_check_in" as const };
    const admin = ctx("admin", null);
    const first = (await getAttentionCsv(db, "large-demo", admin, query, "fr"))!;
    // The same view again, another page number, another admin: the file already written.
    expect(await getAttentionCsv(db, "large-demo", admin, { ...query, page: 3 }, "fr")).toBe(first);
    expect(await getAttentionCsv(db, "large-demo", { ...admin, scope: { userId: "u_other", role: "admin", orgId: null } }, query, "fr")).toBe(first);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(first.bytes);
    expect(text.startsWith(`${BOM}${ATTENTION_CSV_COLUMNS.join(";")}\n`)).toBe(true);
    const list = (await getAttention(db, "large-demo", ALL))!;
    expect(text).toBe(attentionCsv(list, query, "fr").csv);
    expect(first.rows).toBe(selectAttention(list, query, null).rows.length);
    // Another language, selection, scope or filter: another file.
    const english = (await getAttentionCsv(db, "large-demo", admin, query, "en"))!;
    expect(english).not.toBe(first);
    expect(new TextDecoder().decode(english.bytes)).toBe(attentionCsv(list, query, "en").csv);
    expect((await getAttentionCsv(db, "large-demo", admin, DEFAULT_QUERY, "fr"))!.rows).toBe(list.pairs.length);
    const org = list.pairs.find((p) => p.category === "needs_check_in")!.mentor_org_id!;
    const hr = (await getAttentionCsv(db, "large-demo", ctx("hr", org), query, "fr"))!;
    const hrList = (await getAttention(db, "large-demo", { kind: "org", orgId: org }))!;
    expect(new TextDecoder("utf-8", { ignoreBOM: true }).decode(hr.bytes)).toBe(attentionCsv(hrList, query, "fr").csv);
    expect(hr.rows).toBeLessThan(first.rows);
    const filtered = (await getAttentionCsv(db, "large-demo", ctx("admin", null, { ...NO_FILTERS, org }), query, "fr"))!;
    expect(filtered).not.toBe(first);
    expect(filtered.rows).toBeLessThan(first.rows);
  });
});

describe("without an early-warning model", () => {
  let db: Db;
  beforeAll(async () => {
    db = await openFixtureDb();
    clearPageCache();
  });
  afterAll(() => db?.close());

  it("orders by matched date and keeps the model's reason (insufficient_data)", async () => {
    for (const programId of ["P1", "P2"]) {
      const warning = (await getEarlyWarning(db, programId))!;
      if (warning.horizons.some((h) => h.status === "ok")) continue;
      const list = (await getAttention(db, programId, ALL))!;
      expect(list.ordering).toBe("matched");
      expect(list.model_messages.length).toBe(warning.horizons.length);
      expect(list.pairs.every((p) => p.risk === null)).toBe(true);
      const report = (await getProgramReport(db, programId))!;
      expect(selectAttention(list, DEFAULT_QUERY).counts.needs_check_in).toBe(report.quality.at_risk_pairs);
      expect(report.quality.at_risk_pairs, `${programId} has at-risk pairs`).toBeGreaterThan(0);
    }
  });
});

describe("the list's selection (pure)", () => {
  const pair = (i: number, over: Partial<AttentionPair>): AttentionPair => ({
    pair_id: `B${String(i).padStart(3, "0")}`,
    mentor_id: `P${100 + i}`,
    mentor_org_id: "A",
    mentee_id: `P${200 + i}`,
    mentee_org_id: "B",
    matched_at: `2026-0${1 + (i % 8)}-01`,
    last_meeting_date: i % 3 === 0 ? null : `2026-09-${String(10 + (i % 15)).padStart(2, "0")}`,
    days_since_match: 100,
    category: "on_track",
    flagged_at_midpoint: false,
    no_midpoint_evaluation: false,
    no_recent_meeting: false,
    risk: i % 4 === 0 ? null : ((i * 37) % 100) / 100,
    risk_month: i % 4 === 0 ? null : 3,
    ...over,
  });
  const pairs = Array.from({ length: 120 }, (_, i) =>
    pair(i, i < 40 ? { category: "needs_check_in", flagged_at_midpoint: i % 2 === 0, no_recent_meeting: i % 2 === 1 } : i < 60 ? { category: "too_early" } : {}),
  );
  const data: AttentionData = { as_of: "2026-10-01", ended_on: null, ordering: "risk", model_messages: [], model_pending: false, pairs };

  it("counts every category, filters by category and reason, pages by 50", () => {
    const s = selectAttention(data, DEFAULT_QUERY);
    expect(s.counts).toEqual({ needs_check_in: 40, too_early: 20, on_track: 60 });
    expect([s.total, s.pages, s.rows.length]).toEqual([120, 3, 50]);
    const last = selectAttention(data, { ...DEFAULT_QUERY, page: 9 });
    expect([last.page, last.rows.length]).toEqual([3, 20]);
    const flagged = selectAttention(data, { ...DEFAULT_QUERY, reason: "flagged_at_midpoint" }, null);
    expect(flagged.rows.length).toBe(20);
    expect(flagged.rows.every((p) => p.flagged_at_midpoint)).toBe(true);
    expect(selectAttention(data, { ...DEFAULT_QUERY, category: "too_early" }, null).rows.every((p) => p.category === "too_early")).toBe(true);
  });

  it("orders within a category: by risk (unscored last), by matched date, by last meeting (none first), by pair", () => {
    const rows = (q: Partial<typeof DEFAULT_QUERY>) => selectAttention(data, { ...DEFAULT_QUERY, category: "needs_check_in", ...q }, null).rows;
    expectRiskOrder(rows({}));
    const up = rows({ sort: "risk", dir: "asc" });
    const scoredUp = up.filter((p) => p.risk !== null).map((p) => p.risk!);
    expect(scoredUp).toEqual([...scoredUp].sort((a, b) => a - b));
    expect(up.at(-1)!.risk).toBeNull();
    const matched = rows({ sort: "matched", dir: "asc" }).map((p) => p.matched_at);
    expect(matched).toEqual([...matched].sort());
    const meetings = rows({ sort: "last_meeting", dir: "asc" }).map((p) => p.last_meeting_date ?? "");
    expect(meetings).toEqual([...meetings].sort());
    expect(meetings[0]).toBe("");
    expect(rows({ sort: "pair", dir: "desc" })[0].pair_id).toBe("B039");
    // With no model: the "risk" order is the matched date.
    const noModel = selectAttention({ ...data, ordering: "matched" }, { ...DEFAULT_QUERY, category: "needs_check_in" }, null).rows.map((p) => p.matched_at);
    expect(noModel).toEqual([...noModel].sort());
  });

  it("the CSV is in the reader's language's dialect: French `;`, decimal comma and byte-order mark; English unchanged", () => {
    const query = { ...DEFAULT_QUERY, category: "needs_check_in" as const };
    const rows = selectAttention(data, query, null).rows;
    const scored = rows.find((p) => p.risk !== null && !Number.isInteger(p.risk))!;
    const english = attentionCsv(data, query).csv;
    expect(attentionCsv(data, query, "en").csv).toBe(english);
    expect(english.split("\n")[0]).toBe(ATTENTION_CSV_COLUMNS.join(","));
    expect(english).toContain(`,${scored.risk},3\n`);
    const french = attentionCsv(data, query, "fr").csv;
    expect(french.startsWith(`${BOM}${ATTENTION_CSV_COLUMNS.join(";")}\n`)).toBe(true);
    const lines = french.slice(1).trimEnd().split("\n");
    expect(lines.length).toBe(rows.length + 1);
    const line = lines[1 + rows.indexOf(scored)].split(";");
    expect(line.length).toBe(ATTENTION_CSV_COLUMNS.length);
    expect(line[0]).toBe("needs_check_in");
    expect(line[ATTENTION_CSV_COLUMNS.indexOf("risk")]).toBe(String(scored.risk).replace(".", ","));
    expect(line[ATTENTION_CSV_COLUMNS.indexOf("matched_at")]).toBe(scored.matched_at);
  });

  it("reads and writes its URL parameters; unknown values fall back to the defaults", () => {
    const q = parseAttentionQuery(new URLSearchParams("category=too_early&reason=no_recent_meeting&sort=matched&dir=desc&page=3"));
    expect(q).toEqual({ category: "too_early", reason: "no_recent_meeting", sort: "matched", dir: "desc", page: 3 });
    expect(parseAttentionQuery(new URLSearchParams("category=nope&reason=x&sort=drop&dir=up&page=-2"))).toEqual(DEFAULT_QUERY);
    expect(attentionParams(q)).toEqual([["category", "too_early"], ["reason", "no_recent_meeting"], ["sort", "matched"], ["dir", "desc"], ["page", "3"]]);
    expect(attentionParams(DEFAULT_QUERY)).toEqual([]);
  });
});
