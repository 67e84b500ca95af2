/**
 * The estimator puts its records in time order with a counting sort (analytics/impact/estimate.ts,
 * timeOrder): the order must be the one a stable sort by time gives, since the Kaplan–Meier and
 * the variance sum the records of a day in that order.
 */
import { randomLcg } from "d3";
import { describe, expect, it } from "vitest";
import { timeOrder } from "../../analytics/impact/estimate.ts";

const stable = (rows: { time: number }[]) => rows.map((_, i) => i).sort((a, b) => rows[a].time - rows[b].time);

describe("timeOrder", () => {
  it("is a stable sort by time on whole days, negative ones included", () => {
    const next = randomLcg(13);
    const rows = Array.from({ length: 5000 }, () => ({ time: Math.floor(next() * 400) - 20 }));
    expect([...timeOrder(rows)]).toEqual(stable(rows));
  });

  it("keeps the given order of equal times, and handles no rows and one", () => {
    expect([...timeOrder([{ time: 3 }, { time: 1 }, { time: 3 }, { time: 1 }, { time: 2 }])]).toEqual([1, 3, 4, 0, 2]);
    expect([...timeOrder([])]).toEqual([]);
    expect([...timeOrder([{ time: 7 }])]).toEqual([0]);
  });

  it("falls back to the sort for fractional or far-apart times", () => {
    const fractional = [{ time: 2.5 }, { time: 0.5 }, { time: 2.5 }, { time: 1 }];
    expect([...timeOrder(fractional)]).toEqual(stable(fractional));
    const far = [{ time: 1e9 }, { time: 0 }, { time: 1e9 }, { time: 5 }];
    expect([...timeOrder(far)]).toEqual(stable(far));
  });
});
