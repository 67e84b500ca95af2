import { describe, expect, it } from "vitest";
import { createRng, deriveSeed, weightedSampler } from "../../seeds/rng.ts";

describe("seeded RNG", () => {
  it("gives the same stream for the same seed and another for another seed", () => {
    const draw = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 50 }, () => [rng.next(), rng.normal(), rng.logistic(), rng.int(1, 6)]);
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it("pins the stream (mulberry32), so the demo bytes do not drift with this code", () => {
    const rng = createRng(1);
    expect([rng.next(), rng.next(), rng.next()].map((x) => x.toFixed(10))).toEqual(["0.6270739406", "0.0027357212", "0.5274470400"]);
    expect(deriveSeed(1, "large-demo/people")).toBe(deriveSeed(1, "large-demo/people"));
    expect(deriveSeed(1, "large-demo/people")).not.toBe(deriveSeed(1, "large-demo/outcomes"));
  });

  it("draws uniform values in [0, 1) and weighted values in proportion", () => {
    const rng = createRng(7);
    const pick = weightedSampler(rng, [["a", 1], ["b", 3]] as const);
    let b = 0;
    let outside = 0;
    for (let i = 0; i < 20_000; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) outside++;
      if (pick() === "b") b++;
    }
    expect(outside).toBe(0);
    expect(b / 20_000).toBeCloseTo(0.75, 1);
  });
});
