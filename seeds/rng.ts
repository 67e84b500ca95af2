/**
 * A small seeded PRNG (mulberry32): the same seed gives the same stream on every machine and
 * Node version, which is what makes the demo exports byte-identical across runs. The stream is
 * the simulations' own (analytics/matching/rng.ts).
 */
import { mulberry32 } from "../analytics/domain/random.ts";

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  normal(mean?: number, sd?: number): number;
  /** A standard logistic variate (the noise of a logistic model). */
  logistic(): number;
  pick<T>(items: readonly T[]): T;
}

export function createRng(seed: number): Rng {
  let spare: number | null = null;
  const next = mulberry32(seed);
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    normal(mean = 0, sd = 1) {
      if (spare !== null) {
        const value = spare;
        spare = null;
        return mean + sd * value;
      }
      // Box–Muller; 1 - u keeps the logarithm finite.
      const u = 1 - next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return mean + sd * r * Math.cos(2 * Math.PI * v);
    },
    logistic() {
      const u = Math.min(Math.max(next(), 1e-12), 1 - 1e-12);
      return Math.log(u / (1 - u));
    },
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

/** A seed for one named stream of a run, so that one part of the data does not shift another. */
export { labelSeed as deriveSeed } from "../analytics/domain/random.ts";

/** Draws from a fixed weighted list in O(log n) per draw. */
export function weightedSampler<T>(rng: Rng, entries: readonly (readonly [T, number])[]): () => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const [, weight] of entries) {
    if (!(weight >= 0)) throw new Error(`invalid weight: ${weight}`);
    total += weight;
    cumulative.push(total);
  }
  if (total <= 0) throw new Error("weightedSampler: no positive weight");
  return () => {
    const target = rng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return entries[lo][0];
  };
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
