/** Seeded randomness for the bootstrap: the shared streams (analytics/domain/random.ts), and the draws it needs. Pure. */
export { labelSeed as deriveSeed, mulberry32 } from "../domain/random.ts";

/**
 * A Poisson(mean) draw: the number of times a group of `mean` people appears in a Poisson
 * bootstrap resample (each person Poisson(1) times). Exact (Knuth) up to 30, normal beyond.
 */
export function poisson(next: () => number, mean: number): number {
  if (mean <= 0) return 0;
  if (mean <= 30) {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = next();
    while (p > limit) {
      k++;
      p *= next();
    }
    return k;
  }
  const u = 1 - next();
  const v = next();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
}

/** The q-quantile (0–1) of values, linear between order statistics. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
