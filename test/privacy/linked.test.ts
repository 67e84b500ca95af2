// A mean next to a histogram with hidden bars (analytics/privacy/linked.ts): attack (c).
import { describe, expect, it } from "vitest";
import { meanRevealsHiddenBars } from "../../analytics/privacy/linked.ts";

const bars = (counts: (number | null)[]) => counts.map((answers, i) => ({ score: i + 1, answers }));

describe("meanRevealsHiddenBars", () => {
  it("attack (c): bars 2 and 3 hidden, the mean and the count give both", () => {
    // 71 answers: 1 → 0, 2 → 1, 3 → 8, 4 → 14, 5 → 48; mean = (2 + 24 + 56 + 240) / 71.
    const mean = (2 + 24 + 56 + 240) / 71;
    expect(meanRevealsHiddenBars(bars([0, null, null, 14, 48]), 71, mean)).toBe(true);
  });

  it("three hidden bars with room to move keep the mean", () => {
    // Hidden 1, 2, 3 hold 9 answers summing to 18 (0-9-0, 1-7-1, 2-5-2, 3-3-3, 4-1-4): 5 values each.
    const shownSum = 4 * 20 + 5 * 30;
    expect(meanRevealsHiddenBars(bars([null, null, null, 20, 30]), 59, (shownSum + 18) / 59)).toBe(false);
  });

  it("one hidden bar is always given by the count", () => {
    expect(meanRevealsHiddenBars(bars([null, 10, 10, 10, 10]), 42, 3)).toBe(true);
  });

  it("no hidden bar, no mean, or no answers: nothing to reveal", () => {
    expect(meanRevealsHiddenBars(bars([5, 5, 5, 5, 5]), 25, 3)).toBe(false);
    expect(meanRevealsHiddenBars(bars([null, null, 5, 5, 5]), 17, null)).toBe(false);
    expect(meanRevealsHiddenBars(bars([0, 0, 0, 0, 0]), 0, null)).toBe(false);
  });

  it("an extreme mean pins every hidden bar", () => {
    // All 6 hidden answers are 5s: mean 5 over 6 → bars 4 and 5 hidden: 0 and 6, one value each.
    expect(meanRevealsHiddenBars(bars([0, 0, 0, null, null]), 6, 5)).toBe(true);
  });
});
