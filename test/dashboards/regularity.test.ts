import { describe, expect, it } from "vitest";
import { daysIntoMonth, partialLastMonth } from "../../analytics/dashboards/regularity.ts";

// Meeting regularity month by month: the month of as_of is left out of the chart while it is
// not over for the program (issue 14, item 7: a 2-day-old month drawn as a cliff to 0 %).
describe("meeting regularity: the last month", () => {
  it("is partial two days into a month of a running program", () => {
    expect(partialLastMonth("2026-12-02", "2027-06-30")).toBe("2026-12");
    expect(daysIntoMonth("2026-12-02")).toBe(2);
  });
  it("is partial on the 30th of a 31-day month, complete on its last day", () => {
    expect(partialLastMonth("2026-05-30", "2026-09-30")).toBe("2026-05");
    expect(partialLastMonth("2026-05-31", "2026-09-30")).toBeNull();
    expect(partialLastMonth("2028-02-28", "2028-09-30")).toBe("2028-02");
    expect(partialLastMonth("2028-02-29", "2028-09-30")).toBeNull();
  });
  it("is complete when the program ended on or before as_of, whatever the day", () => {
    expect(partialLastMonth("2026-05-12", "2026-05-12")).toBeNull();
    expect(partialLastMonth("2026-06-15", "2026-05-12")).toBeNull();
  });
});
