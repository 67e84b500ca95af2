// The query-space control (analytics/privacy/query-space.ts) on small hand-made programs.
import { describe, expect, it } from "vitest";
import { buildQuerySpace, controlFilters, dimensionKey, periodBlocks, type SpacePair, type SpacePerson } from "../../analytics/privacy/query-space.ts";
import { NO_FILTERS } from "../../analytics/domain/filters.ts";

/** n pairs matched in `month`, mentor and mentee of the given org and generations, fresh ids. */
let next = 0;
function pairs(n: number, month: string, o: Partial<SpacePair> = {}): { pairs: SpacePair[]; people: SpacePerson[] } {
  const out: SpacePair[] = [];
  const people: SpacePerson[] = [];
  for (let i = 0; i < n; i++) {
    const p: SpacePair = { mentor_id: `m${next}`, mentee_id: `e${next}`, month, mentor_org: "A", mentee_org: "A", mentor_gen: "gen_x", mentee_gen: "millennials", ...o };
    next++;
    out.push(p);
    people.push({ id: p.mentor_id, org: p.mentor_org, gen: p.mentor_gen, role: "mentor", month });
    people.push({ id: p.mentee_id, org: p.mentee_org, gen: p.mentee_gen, role: "mentee", month });
  }
  return { pairs: out, people };
}
function program(...parts: { pairs: SpacePair[]; people: SpacePerson[] }[]) {
  return { pairs: parts.flatMap((p) => p.pairs), people: parts.flatMap((p) => p.people) };
}

describe("period blocks", () => {
  it("merges months until each block holds k people; a short last block joins the previous one", () => {
    const p = program(pairs(1, "2025-01"), pairs(2, "2025-02"), pairs(3, "2025-03"), pairs(1, "2025-05"));
    // 2 people in January, 4 in February: 6 ≥ 5 → one block; March has 6; May's 2 join March.
    expect(periodBlocks(p.pairs, p.people, 5).map((b) => [b.months.join(","), b.from, b.to])).toEqual([
      ["2025-01,2025-02", "2025-01-01", "2025-02-28"],
      ["2025-03,2025-05", "2025-03-01", "2025-05-31"],
    ]);
  });

  it("attack (a): two windows a day apart give the same widened window", () => {
    const p = program(pairs(12, "2025-10"), pairs(3, "2025-11"));
    const space = buildQuerySpace(p.pairs, p.people, 5, "A");
    const a = controlFilters(space, { ...NO_FILTERS, from: "2025-10-01", to: "2025-10-07" });
    const b = controlFilters(space, { ...NO_FILTERS, from: "2025-10-01", to: "2025-10-08" });
    expect(a.filters).toEqual(b.filters);
    expect(a.filters).toMatchObject({ from: "2025-10-01", to: "2025-10-31", cohort: null });
    expect(a.notices).toEqual([{ name: "from", value: "2025-10-01..2025-10-07", reason: "coarsened", detail: "2025-10-01..2025-10-31" }]);
  });

  it("a cohort that is a block by itself stays; one inside a larger block is widened", () => {
    const p = program(pairs(3, "2025-01"), pairs(1, "2025-02"), pairs(3, "2025-03"));
    const space = buildQuerySpace(p.pairs, p.people, 5, "A");
    expect(controlFilters(space, { ...NO_FILTERS, cohort: "2025-01" })).toEqual({ filters: { ...NO_FILTERS, cohort: "2025-01" }, notices: [] });
    const widened = controlFilters(space, { ...NO_FILTERS, cohort: "2025-02" });
    expect(widened.filters).toMatchObject({ cohort: null, from: "2025-02-01", to: "2025-03-31" });
  });
});

describe("population filters", () => {
  it("attack (b): a generation whose cell is under k refuses the generation filter for every generation", () => {
    // 10 pairs gen_x → millennials, and 2 pairs with a boomer mentee: the boomers' cell (4 people) is under 5.
    const p = program(pairs(10, "2025-10"), pairs(2, "2025-10", { mentee_gen: "boomers" }));
    const space = buildQuerySpace(p.pairs, p.people, 5, "A");
    expect(space.accepted.has(dimensionKey(["role"]))).toBe(true);
    expect(space.accepted.has(dimensionKey(["generation"]))).toBe(false);
    for (const generation of ["gen_x", "millennials", "boomers"] as const) {
      const out = controlFilters(space, { ...NO_FILTERS, role: "mentee", generation });
      expect(out.filters).toEqual({ ...NO_FILTERS, role: "mentee" });
      expect(out.notices).toEqual([{ name: "generation", value: generation, reason: "privacy" }]);
    }
  });

  it("with every cell at k or more, generation and role combine", () => {
    const p = program(pairs(5, "2025-10"), pairs(5, "2025-10", { mentee_gen: "boomers", mentor_gen: "millennials" }));
    const space = buildQuerySpace(p.pairs, p.people, 5, "A");
    expect(space.accepted.has(dimensionKey(["generation", "role"]))).toBe(true);
    expect(controlFilters(space, { ...NO_FILTERS, role: "mentee", generation: "boomers" }).notices).toEqual([]);
  });

  it("pairs are cells by both sides: 2 cross-company pairs among 10 refuse the organization filter", () => {
    // own→own 8 pairs (16 people); own mentor → other mentee: 2 pairs, 4 people < 5.
    const p = program(pairs(8, "2025-10"), pairs(2, "2025-10", { mentee_org: "B" }), pairs(5, "2025-10", { mentor_org: "B", mentee_org: "B" }));
    const space = buildQuerySpace(p.pairs, p.people, 5, "A");
    expect(space.accepted.has("org")).toBe(false);
    const out = controlFilters(space, { ...NO_FILTERS, org: "A" });
    expect(out).toEqual({ filters: NO_FILTERS, notices: [{ name: "org", value: "A", reason: "privacy" }] });
  });

  it("another organization is refused as outside the scope", () => {
    const p = program(pairs(10, "2025-10"));
    const space = buildQuerySpace(p.pairs, p.people, 5, "A");
    expect(controlFilters(space, { ...NO_FILTERS, org: "B" }).notices).toEqual([{ name: "org", value: "B", reason: "scope" }]);
  });

  it("the accepted sets are closed under dropping a filter, and every accepted view is a union of cells of k or more", () => {
    const p = program(pairs(6, "2025-09"), pairs(7, "2025-10", { mentee_org: "B" }), pairs(3, "2025-10", { mentor_gen: "boomers" }), pairs(9, "2025-11", { mentor_org: "B" }));
    const space = buildQuerySpace(p.pairs, p.people, 5, "A");
    for (const key of space.accepted) {
      const dims = key === "" ? [] : key.split("+");
      for (const d of dims) expect(space.accepted.has(dims.filter((x) => x !== d).join("+")), `${key} without ${d}`).toBe(true);
    }
    expect(space.accepted.has("")).toBe(true);
  });
});
