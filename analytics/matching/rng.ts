/**
 * Seeded randomness for the simulations. Every random choice of a run comes from a stream
 * derived from (master seed, strategy, run index) only, so a run gives the same result
 * whichever worker thread computes it and however many workers there are.
 */

/** mulberry32: uniform in [0, 1), the same stream on every machine and Node version (one home: analytics/domain/random.ts). */
export { mulberry32 } from "../domain/random.ts";

/** A 32-bit mix (murmur3's finaliser). */
export function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A seed derived from a master seed and labels (strings or integers): stable and independent. */
export function deriveSeed(seed: number, ...parts: (string | number)[]): number {
  let h = mix32((seed >>> 0) ^ 0x9e3779b9);
  for (const part of parts) {
    const text = String(part);
    for (let i = 0; i < text.length; i++) h = mix32(h ^ Math.imul(text.charCodeAt(i), 0x01000193));
    h = mix32(h ^ 0x2f);
  }
  return h >>> 0;
}

/** A pseudo-random 32-bit value for (seed, a, b): used to break ties without storing a table. */
export function hash3(seed: number, a: number, b: number): number {
  return mix32(mix32(mix32(seed ^ 0x5bd1e995) ^ a) + Math.imul(b, 0x27d4eb2d));
}

/** Fisher–Yates shuffle of `array[from, to)` in place. */
export function shuffleRange(array: Int32Array | number[], from: number, to: number, rng: () => number): void {
  for (let i = to - 1; i > from; i--) {
    const j = from + Math.floor(rng() * (i - from + 1));
    const t = array[i];
    array[i] = array[j];
    array[j] = t;
  }
}

/** Checks a seed given by a person: an integer 0 … 2^32 − 1. */
export function checkSeed(seed: number): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`invalid seed: ${JSON.stringify(seed)} (an integer 0 … 4294967295)`);
  }
  return seed;
}
