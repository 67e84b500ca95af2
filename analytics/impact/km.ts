/**
 * Weighted Kaplan–Meier (issue 13): the share of a group still without the event after t days,
 * from records grouped by time (`events` ended by the event at `time`, `censored` left the
 * observation then). Each record carries a weight per person (1 for the participants, the
 * balancing weight for the comparison group). At a time with both, events come first (the
 * censored were still at risk). Pure.
 */

export interface KmRecord {
  /** Days since the program's start. */
  time: number;
  events: number;
  censored: number;
  /** Weight of each person of the record (default 1). */
  weight?: number;
}

export interface KmStep {
  time: number;
  /** Survival just after `time`. */
  survival: number;
  atRisk: number;
  events: number;
}

/** The survival steps, one per distinct time with an event or a censoring, in time order. */
export function kaplanMeier(records: readonly KmRecord[]): KmStep[] {
  const sorted = [...records].sort((a, b) => a.time - b.time);
  let atRisk = 0;
  for (const r of sorted) atRisk += (r.events + r.censored) * (r.weight ?? 1);
  const steps: KmStep[] = [];
  let survival = 1;
  for (let i = 0; i < sorted.length; ) {
    const time = sorted[i].time;
    let d = 0;
    let c = 0;
    for (; i < sorted.length && sorted[i].time === time; i++) {
      const w = sorted[i].weight ?? 1;
      d += sorted[i].events * w;
      c += sorted[i].censored * w;
    }
    if (atRisk > 0 && d > 0) survival *= 1 - d / atRisk;
    steps.push({ time, survival, atRisk, events: d });
    atRisk -= d + c;
  }
  return steps;
}

/** Survival at t (after the events of day t): the last step at or before t, 1 before the first. */
export function survivalAt(steps: readonly KmStep[], t: number): number {
  let s = 1;
  for (const step of steps) {
    if (step.time > t) break;
    s = step.survival;
  }
  return s;
}

/**
 * The same survival at several times, for records already sorted by time whose weights are
 * given apart (one per record): the bootstrap's inner loop, without allocating steps.
 */
export function survivalAtTimes(times: Float64Array, events: Float64Array, censored: Float64Array, weights: Float64Array, at: readonly number[]): number[] {
  let atRisk = 0;
  for (let i = 0; i < times.length; i++) atRisk += (events[i] + censored[i]) * weights[i];
  const out: number[] = new Array(at.length).fill(1);
  let survival = 1;
  let next = 0;
  for (let i = 0; i < times.length; ) {
    const time = times[i];
    while (next < at.length && at[next] < time) out[next++] = survival;
    let d = 0;
    let c = 0;
    for (; i < times.length && times[i] === time; i++) {
      d += events[i] * weights[i];
      c += censored[i] * weights[i];
    }
    if (atRisk > 0 && d > 0) survival *= 1 - d / atRisk;
    atRisk -= d + c;
  }
  while (next < at.length) out[next++] = survival;
  return out;
}
