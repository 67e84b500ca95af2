/**
 * Secondary suppression across linked figures (docs/privacy.md, "Linked figures"). Pure.
 *
 * A mean published next to a histogram whose bars are partly hidden adds an equation: with the
 * number of answers and the shown bars, "Σ hidden bars" and "Σ score × hidden bar" are both
 * known, and two hidden bars are then determined (attack (c) of the privacy issue: mean 4.4648
 * over 71 answers gave both hidden bars). The mean is published only when every hidden bar
 * keeps at least `minValues` possible values given everything else shown — decided exactly, by
 * enumerating the integer solutions.
 */

export interface HistogramBar {
  score: number;
  /** null: hidden. */
  answers: number | null;
}

/**
 * Whether publishing `mean` (over `totalAnswers` answers) next to these bars lets a reader
 * narrow some hidden bar to fewer than `minValues` possible counts.
 */
export function meanRevealsHiddenBars(bars: readonly HistogramBar[], totalAnswers: number, mean: number | null, minValues = 3): boolean {
  if (mean === null || totalAnswers <= 0) return false;
  const hidden = bars.filter((b) => b.answers === null).map((b) => b.score).sort((a, b) => a - b);
  if (hidden.length === 0) return false;
  const shown = bars.filter((b) => b.answers !== null);
  const restCount = totalAnswers - shown.reduce((sum, b) => sum + (b.answers as number), 0);
  const restSum = Math.round(mean * totalAnswers) - shown.reduce((sum, b) => sum + b.score * (b.answers as number), 0);
  if (hidden.length === 1) return true; // the count equation alone gives it
  const values = hidden.map(() => new Set<number>());
  const enough = () => values.every((v) => v.size >= minValues);
  const current: number[] = new Array(hidden.length).fill(0);
  // The first m − 2 hidden bars are free; the last two follow from the two equations.
  const search = (i: number, count: number, sum: number): boolean => {
    if (i === hidden.length - 2) {
      const [p, q] = [hidden[i], hidden[i + 1]];
      const numerator = sum - p * count;
      if (numerator < 0 || numerator % (q - p) !== 0) return false;
      const aq = numerator / (q - p);
      const ap = count - aq;
      if (ap < 0) return false;
      current[i] = ap;
      current[i + 1] = aq;
      current.forEach((v, j) => values[j].add(v));
      return enough();
    }
    for (let a = 0; a <= count && hidden[i] * a <= sum; a++) {
      current[i] = a;
      if (search(i + 1, count - a, sum - hidden[i] * a)) return true;
    }
    return false;
  };
  if (restCount < 0) return true;
  search(0, restCount, restSum);
  return !enough();
}
