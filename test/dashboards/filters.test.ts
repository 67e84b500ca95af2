import { describe, expect, it } from "vitest";
import { filterParams, hasFilters, NO_FILTERS, parseFilters, serializeFilters } from "../../app/utils/filters.ts";

describe("dashboard filters in the URL", () => {
  it("parses every valid filter and serialises it back in a fixed order", () => {
    const query = "to=2026-06-30&role=mentee&cohort=2026-03&org=BEAUMANOIR&generation=gen_x&from=2026-01-01";
    const { filters, notices } = parseFilters(new URLSearchParams(query));
    expect(notices).toEqual([]);
    expect(filters).toEqual({ cohort: "2026-03", org: "BEAUMANOIR", generation: "gen_x", role: "mentee", from: "2026-01-01", to: "2026-06-30" });
    expect(serializeFilters(filters)).toBe("?cohort=2026-03&org=BEAUMANOIR&generation=gen_x&role=mentee&from=2026-01-01&to=2026-06-30");
    expect(hasFilters(filters)).toBe(true);
    expect(filterParams(filters).f_cohort).toBe("2026-03");
  });

  it("drops bad values with a notice naming them, never throws", () => {
    const { filters, notices } = parseFilters(
      new URLSearchParams("cohort=2026-13&org=x' or 1=1&generation=gen_y&role=boss&from=2026-02-30&to=yesterday"),
    );
    expect(filters).toEqual(NO_FILTERS);
    expect(notices.map((n) => [n.name, n.reason])).toEqual([
      ["cohort", "format"],
      ["org", "format"],
      ["generation", "unknown"],
      ["role", "unknown"],
      ["from", "format"],
      ["to", "format"],
    ]);
  });

  it("drops an end date before the start date and ignores empty values", () => {
    const { filters, notices } = parseFilters(new URLSearchParams("from=2026-05-01&to=2026-04-01&cohort=&org="));
    expect(filters.from).toBe("2026-05-01");
    expect(filters.to).toBeNull();
    expect(notices).toEqual([{ name: "to", value: "2026-04-01", reason: "range" }]);
    expect(serializeFilters(NO_FILTERS)).toBe("");
    expect(hasFilters(NO_FILTERS)).toBe(false);
  });
});
