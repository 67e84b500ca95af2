/**
 * The impact figures (issue 13, decision 0020, docs/metrics.md "Impact"): retention and
 * promotion of the participants against non-participants of the same workforce reweighted to
 * them by entropy balancing, Kaplan–Meier at H months, the effect on the participants (ATT)
 * with a seeded 95 % Poisson-bootstrap interval, the naive difference beside it, per role and
 * per organization, and the money rule. Pure: the counts come from sql/impact/*.sql.
 */
import { JOB_LEVEL_KEYS, TENURE_BANDS, parseCellKey, GENERATION_KEYS } from "./bands.ts";
import { balanceTable, entropyBalance, type BalanceCells, type BalanceRow, type BalanceWeights } from "./balance.ts";
import { survivalAtTimes } from "./km.ts";
import { deriveSeed, mulberry32, poisson, quantile } from "./random.ts";
import { curveVariances, linearize, linearizeScratch, type Linearized, type LinearizeScratch } from "./variance.ts";

export type Outcome = "retention" | "promotion";
export type Role = "mentor" | "mentee";

/** One group of people: same side, role, cell, time and status (a row of sql/impact/records.sql). */
export interface ImpactRow {
  participant: boolean;
  role: Role | null;
  /** `org|generation|level|tenure` (bands.ts). */
  cell: string;
  /** Days since the start, at most the horizon. */
  time: number;
  /** true: the event (a voluntary departure; a promotion) at `time`; false: censored then (or still at risk at the horizon). */
  event: boolean;
  n: number;
}

export interface ImpactInput {
  horizonMonths: number;
  /** Days from the start to each month 0..H (calendar months). */
  monthDays: readonly number[];
  /** Whole months from the start to the latest observed_until; null without a workforce. */
  longestHorizonMonths: number | null;
  /** Participants of the program missing from its workforce (left out). */
  participantsMissing: number;
  retention: readonly ImpactRow[];
  promotion: readonly ImpactRow[];
}

export interface ImpactOptions {
  /** Fewer people than k on either side, or fewer events than k in all: insufficient_data. */
  k: number;
  /** Protected reader (docs/privacy.md): counts of 1 to k − 1 people are withheld (null). */
  protectedCounts?: boolean;
  /** by_organization: every organization (admin), or the reader's own and one "other organizations" row. */
  ownOrganization?: string | null;
  /** How the intervals are computed (decision 0020): analytic (the default) or bootstrap. */
  variance?: VarianceMethod;
  /** Resamples of the bootstrap (variance "bootstrap"). */
  bootstrap?: number;
  seed?: number;
  costPerDeparture?: number | null;
  programCost?: number | null;
  /** The program's money is hidden from this reader (a two-company program, docs/privacy.md). */
  moneyHidden?: boolean;
  /** false: the overall estimate only, no by_role / by_organization (the coverage benchmark). */
  subgroups?: boolean;
}

/**
 * analytic: the delta method for the Poisson bootstrap (variance.ts), a Wald interval;
 * bootstrap: the Poisson bootstrap's percentile interval (`bootstrap` resamples, seeded).
 */
export type VarianceMethod = "analytic" | "bootstrap";
export const DEFAULT_VARIANCE: VarianceMethod = "analytic";
export const DEFAULT_BOOTSTRAP = 200;
export const DEFAULT_IMPACT_SEED = 13;
export const OTHER_ORGANIZATIONS = "others";

export interface Counts {
  participants: number | null;
  comparison: number | null;
  events: number | null;
}

export interface Estimate {
  status: "ok" | "insufficient_data";
  /** Why there is no estimate (insufficient_data): too_few_people, too_few_events, no_balance. */
  reason: string | null;
  participants: { n: number | null; rate: number | null };
  /** The reweighted comparison group: people kept, their effective number (Kish) and rate. */
  comparison: { n: number | null; effective_n: number | null; rate: number | null };
  naive_comparison_rate: number | null;
  effect: number | null;
  ci95: [number, number] | null;
  naive_effect: number | null;
  counts: Counts;
}

export interface OutcomeFigures extends Estimate {
  method: string;
  balance: BalanceRow[];
  max_abs_smd_before: number | null;
  max_abs_smd_after: number | null;
  /** Per month 0..H: participants and reweighted comparison with 95 % bands, naive comparison. */
  curves: { month: number; participants: number; participants_ci95: [number, number]; comparison: number; comparison_ci95: [number, number]; naive_comparison: number }[];
  by_role: Record<Role, Estimate>;
  by_organization: (Estimate & { org_id: string })[];
}

export interface Money {
  cost_per_departure: number;
  departures_avoided: number;
  departures_avoided_ci95: [number, number];
  benefit: number;
  program_cost: number | null;
  roi: number | null;
  roi_ci95: [number, number] | null;
}

export interface ImpactFigures {
  status: "ok" | "no_workforce" | "insufficient_data";
  horizon_months: number;
  /** With insufficient_data for the horizon: the longest H the extract allows. */
  longest_horizon_months: number | null;
  participants_missing_from_workforce: number;
  retention: OutcomeFigures | null;
  promotion: OutcomeFigures | null;
  money: Money | null;
  /** Why money is null: no_cost_per_departure, no_estimate, hidden. */
  money_status: "ok" | "no_cost_per_departure" | "no_estimate" | "hidden";
}

const FACTORS = [
  { covariate: "organization", levels: [] as string[] },
  { covariate: "generation", levels: [...GENERATION_KEYS] as string[] },
  { covariate: "job_level", levels: [...JOB_LEVEL_KEYS] as string[] },
  { covariate: "tenure", levels: [...TENURE_BANDS] as string[] },
];

const METHOD_BASE =
  "Kaplan–Meier at the horizon; comparison group = non-participants of the workforce reweighted by entropy balancing on organization, generation, job level and tenure band; effect on the participants (ATT) with a 95 %";
export const METHODS: Record<VarianceMethod, string> = {
  analytic: `${METHOD_BASE} interval from the delta method for the Poisson bootstrap (the balancing's uncertainty included)`,
  bootstrap: `${METHOD_BASE} percentile interval from a seeded Poisson bootstrap`,
};
/** The default method's text. */
export const METHOD = METHODS[DEFAULT_VARIANCE];

/** The distinct cells of one outcome's rows, parsed once; records refer to them by number. */
class CellTable {
  private readonly ids = new Map<string, number>();
  readonly covariates: ReturnType<typeof parseCellKey>[] = [];
  id(key: string): number {
    let c = this.ids.get(key);
    if (c === undefined) this.ids.set(key, (c = this.covariates.push(parseCellKey(key)) - 1));
    return c;
  }
}

/** An ImpactRow with its cell as a number (CellTable). */
interface Rec {
  cell: number;
  time: number;
  event: boolean;
  n: number;
}

/**
 * For a protected reader, the months of the curves it is shown: month 0, then each month where,
 * on each side, the events since the previous month shown are none or at least k. A curve steps
 * at each event, so a step of 1 to k − 1 events would show a small group's departures (or
 * promotions) in that month; such a month is left out and its events count towards the next
 * one shown (docs/privacy.md).
 */
export function curveMonthsShown(settings: { monthDays: readonly number[]; k: number }, treated: readonly Timed[], control: readonly Timed[]): boolean[] {
  const days = settings.monthDays;
  const cumulative = (rows: readonly Timed[]) => {
    const perMonth = new Array<number>(days.length).fill(0);
    for (const r of rows) {
      if (!r.event) continue;
      let m = 0;
      while (m < days.length && days[m] < r.time) m++;
      if (m < days.length) perMonth[m] += r.n;
    }
    for (let m = 1; m < days.length; m++) perMonth[m] += perMonth[m - 1];
    return perMonth;
  };
  const t = cumulative(treated);
  const c = cumulative(control);
  const shown = days.map((_, m) => m === 0);
  let lastT = t[0];
  let lastC = c[0];
  const fine = (d: number) => d === 0 || d >= settings.k;
  for (let m = 1; m < days.length; m++) {
    if (fine(t[m] - lastT) && fine(c[m] - lastC)) {
      shown[m] = true;
      lastT = t[m];
      lastC = c[m];
    }
  }
  return shown;
}

type Timed = { time: number; event: boolean; n: number };

/** A comparison between some participants and some comparison people, prepared once for the bootstrap. */
class Comparison {
  readonly cells: BalanceCells;
  readonly names: { covariate: string; levels: readonly string[] }[];
  readonly treated: Float64Array;
  readonly control: Float64Array;
  private readonly recs: { cell: Int32Array; side: Uint8Array; time: Float64Array; event: Uint8Array; n: Float64Array };

  /** `treatedRows` and `controlRows` each sorted by time (outcomeFigures sorts once); `parsed` memoizes parseCellKey. */
  constructor(treatedRows: readonly Rec[], controlRows: readonly Rec[], withOrganization: boolean, table: CellTable) {
    const seen = new Uint8Array(table.covariates.length);
    for (const rows of [treatedRows, controlRows]) for (let i = 0; i < rows.length; i++) seen[rows[i].cell] = 1;
    const orgs = [...new Set(table.covariates.filter((_, c) => seen[c]).map((c) => c.orgId))].sort();
    const factors = withOrganization ? [{ ...FACTORS[0], levels: orgs }, ...FACTORS.slice(1)] : FACTORS.slice(1);
    this.names = factors;
    const index = new Int32Array(table.covariates.length).fill(-1);
    const cellLevels: number[][] = [];
    // Merge the two sorted lists by time (participants first at equal times).
    const len = treatedRows.length + controlRows.length;
    const cell = new Int32Array(len);
    const side = new Uint8Array(len);
    const time = new Float64Array(len);
    const event = new Uint8Array(len);
    const n = new Float64Array(len);
    for (let i = 0, a = 0, b = 0; i < len; i++) {
      const fromTreated = b >= controlRows.length || (a < treatedRows.length && treatedRows[a].time <= controlRows[b].time);
      const r = fromTreated ? treatedRows[a++] : controlRows[b++];
      let c = index[r.cell];
      if (c < 0) {
        const cov = table.covariates[r.cell];
        const values = withOrganization ? [cov.orgId, cov.generation, cov.jobLevel, cov.tenure] : [cov.generation, cov.jobLevel, cov.tenure];
        c = cellLevels.length;
        cellLevels.push(values.map((v, f) => factors[f].levels.indexOf(v)));
        index[r.cell] = c;
      }
      cell[i] = c;
      side[i] = fromTreated ? 1 : 0;
      time[i] = r.time;
      event[i] = r.event ? 1 : 0;
      n[i] = r.n;
    }
    this.cells = { levels: factors.map((f) => f.levels.length), cellLevels };
    this.recs = { cell, side, time, event, n };
    this.treated = new Float64Array(cellLevels.length);
    this.control = new Float64Array(cellLevels.length);
    for (let i = 0; i < len; i++) (side[i] ? this.treated : this.control)[cell[i]] += n[i];
  }

  /** Survival at `at` of participants, reweighted comparison and raw comparison, for record counts `n`. */
  run(n: Float64Array, at: readonly number[], start?: Float64Array) {
    const { cell, side, time, event } = this.recs;
    const treated = new Float64Array(this.treated.length);
    const control = new Float64Array(this.control.length);
    for (let i = 0; i < n.length; i++) (side[i] ? treated : control)[cell[i]] += n[i];
    const balance = entropyBalance(this.cells, treated, control, { start });
    const len = n.length;
    const ev = new Float64Array(len);
    const ce = new Float64Array(len);
    for (let i = 0; i < len; i++) (event[i] ? ev : ce)[i] = n[i];
    const wT = new Float64Array(len);
    const wC = new Float64Array(len);
    const wRaw = new Float64Array(len);
    let kept = 0;
    let keptCount = 0;
    let sw = 0;
    let sw2 = 0;
    for (let i = 0; i < len; i++) {
      if (side[i]) wT[i] = balance.keptTreated[cell[i]] ? 1 : 0;
      else {
        wRaw[i] = 1;
        const w = balance.weights[cell[i]];
        wC[i] = w;
        if (w > 0) keptCount += n[i];
        sw += w * n[i];
        sw2 += w * w * n[i];
      }
    }
    kept = balance.keptTreatedCount;
    return {
      balance,
      treated,
      control,
      keptTreated: kept,
      keptComparison: keptCount,
      effectiveN: sw2 > 0 ? (sw * sw) / sw2 : 0,
      participants: survivalAtTimes(time, ev, ce, wT, at),
      comparison: survivalAtTimes(time, ev, ce, wC, at),
      naive: survivalAtTimes(time, ev, ce, wRaw, at),
    };
  }

  /** The delta-method (analytic) variances at day t of the point estimate (variance.ts). */
  linearized(point: ReturnType<Comparison["run"]>, t: number): Linearized {
    if (this.scratch?.balance !== point.balance) this.scratch = { balance: point.balance, buffers: linearizeScratch(this.recs, point.balance) };
    return linearize(this.recs, point.balance, this.cells.levels.length, t, this.scratch.buffers);
  }

  /** The curves' variances at each of `at` in one sweep (variance.ts). */
  curveVariances(point: ReturnType<Comparison["run"]>, at: readonly number[]) {
    if (this.scratch?.balance !== point.balance) this.scratch = { balance: point.balance, buffers: linearizeScratch(this.recs, point.balance) };
    return curveVariances(this.recs, point.balance, this.cells.levels.length, at, this.scratch.buffers);
  }

  private scratch: { balance: BalanceWeights; buffers: LinearizeScratch } | null = null;

  get counts(): Float64Array {
    return this.recs.n;
  }

  events(): { participants: number; comparison: number } {
    let p = 0;
    let c = 0;
    for (let i = 0; i < this.recs.n.length; i++) if (this.recs.event[i]) this.recs.side[i] ? (p += this.recs.n[i]) : (c += this.recs.n[i]);
    return { participants: p, comparison: c };
  }
}

interface Settings {
  outcome: Outcome;
  horizonDays: number;
  monthDays: readonly number[];
  k: number;
  variance: VarianceMethod;
  bootstrap: number;
  seed: number;
  protectedCounts: boolean;
}

const rateOf = (outcome: Outcome, survival: number) => (outcome === "retention" ? survival : 1 - survival);

function withheld(settings: Settings, n: number): number | null {
  return settings.protectedCounts && n > 0 && n < settings.k ? null : n;
}

function insufficient(settings: Settings, reason: string, participants: number, comparison: number, events: number): Estimate {
  return {
    status: "insufficient_data",
    reason,
    participants: { n: withheld(settings, participants), rate: null },
    comparison: { n: withheld(settings, comparison), effective_n: null, rate: null },
    naive_comparison_rate: null,
    effect: null,
    ci95: null,
    naive_effect: null,
    counts: { participants: withheld(settings, participants), comparison: withheld(settings, comparison), events: withheld(settings, events) },
  };
}

interface Full {
  estimate: Estimate;
  comparison: Comparison | null;
  /** Per month (curves only): the 95 % bands of the participants' and the comparison's rates. */
  bands: { participants: [number, number]; comparison: [number, number] }[];
  point: ReturnType<Comparison["run"]> | null;
}

type Intervals = { ci95: [number, number] | null; bands: Full["bands"] };
const Z95 = 1.959963984540054;
const clip = (x: number) => Math.min(1, Math.max(0, x));

/** Wald intervals from the delta-method variances (variance.ts): the effect, and per month each rate clipped to [0, 1]. */
function analyticIntervals(settings: Settings, comparison: Comparison, point: ReturnType<Comparison["run"]>, at: readonly number[], curves: boolean): Intervals {
  const last = at.length - 1;
  const effect = rateOf(settings.outcome, point.participants[last]) - rateOf(settings.outcome, point.comparison[last]);
  const band = (rate: number, variance: number): [number, number] => {
    const half = Z95 * Math.sqrt(variance);
    return [clip(rate - half), clip(rate + half)];
  };
  const lin = comparison.linearized(point, at[last]);
  const ci95: [number, number] | null = Number.isFinite(lin.varEffect) ? [effect - Z95 * Math.sqrt(lin.varEffect), effect + Z95 * Math.sqrt(lin.varEffect)] : null;
  const bands: Full["bands"] = curves
    ? comparison.curveVariances(point, at).map((v) => ({ participants: band(rateOf(settings.outcome, v.s1), v.var1), comparison: band(rateOf(settings.outcome, v.s0), v.var0) }))
    : [];
  return { ci95, bands };
}

/** The Poisson bootstrap's percentile intervals: each record drawn Poisson(N) times, the weights recomputed per resample. */
function bootstrapIntervals(settings: Settings, comparison: Comparison, point: ReturnType<Comparison["run"]>, at: readonly number[], label: string, curves: boolean): Intervals {
  const last = at.length - 1;
  const next = mulberry32(deriveSeed(settings.seed, `${settings.outcome}/${label}`));
  const effects: number[] = [];
  const draws: { participants: number[]; comparison: number[] }[] = [];
  const counts = comparison.counts;
  const resampled = new Float64Array(counts.length);
  for (let b = 0; b < settings.bootstrap; b++) {
    for (let i = 0; i < counts.length; i++) resampled[i] = poisson(next, counts[i]);
    const run = comparison.run(resampled, at, point.balance.lambda);
    if (!run.balance.ok) continue;
    effects.push(rateOf(settings.outcome, run.participants[last]) - rateOf(settings.outcome, run.comparison[last]));
    if (curves) draws.push({ participants: run.participants, comparison: run.comparison });
  }
  const ci95: [number, number] | null = effects.length >= Math.min(settings.bootstrap, 20) ? [quantile(effects, 0.025), quantile(effects, 0.975)] : null;
  const bands: Full["bands"] = [];
  if (curves) {
    at.forEach((_, m) => {
      const band = (side: "participants" | "comparison"): [number, number] => {
        const values = draws.map((d) => rateOf(settings.outcome, d[side][m]));
        return values.length ? [quantile(values, 0.025), quantile(values, 0.975)] : [Number.NaN, Number.NaN];
      };
      bands.push({ participants: band("participants"), comparison: band("comparison") });
    });
  }
  return { ci95, bands };
}

/** One comparison: point estimate, interval (analytic or bootstrap), or insufficient_data. */
function estimateOne(settings: Settings, treatedRows: readonly Rec[], controlRows: readonly Rec[], withOrganization: boolean, label: string, curves: boolean, table: CellTable): Full {
  let n1 = 0;
  let n0 = 0;
  let events = 0;
  for (const r of treatedRows) (n1 += r.n), (events += r.event ? r.n : 0);
  for (const r of controlRows) (n0 += r.n), (events += r.event ? r.n : 0);
  if (n1 < settings.k || n0 < settings.k) return { estimate: insufficient(settings, "too_few_people", n1, n0, events), comparison: null, bands: [], point: null };
  if (events < settings.k) return { estimate: insufficient(settings, "too_few_events", n1, n0, events), comparison: null, bands: [], point: null };
  const comparison = new Comparison(treatedRows, controlRows, withOrganization, table);
  const at = curves ? settings.monthDays : [settings.horizonDays];
  const point = comparison.run(comparison.counts, at);
  if (!point.balance.ok || point.keptTreated < settings.k || point.keptComparison < settings.k) {
    return { estimate: insufficient(settings, "no_balance", n1, n0, events), comparison: null, bands: [], point: null };
  }
  const last = at.length - 1;
  const r1 = rateOf(settings.outcome, point.participants[last]);
  const r0 = rateOf(settings.outcome, point.comparison[last]);
  const rNaive = rateOf(settings.outcome, point.naive[last]);
  const { ci95, bands } = settings.variance === "bootstrap" ? bootstrapIntervals(settings, comparison, point, at, label, curves) : analyticIntervals(settings, comparison, point, at, curves);
  return {
    estimate: {
      status: "ok",
      reason: null,
      participants: { n: point.keptTreated, rate: r1 },
      comparison: { n: point.keptComparison, effective_n: point.effectiveN, rate: r0 },
      naive_comparison_rate: rNaive,
      effect: r1 - r0,
      ci95,
      naive_effect: r1 - rNaive,
      counts: { participants: n1, comparison: n0, events },
    },
    comparison,
    bands,
    point,
  };
}

/**
 * The rows' indices in time order, rows of equal times in their given order (what a stable
 * sort by time gives): a counting sort over the whole days, or the sort itself for other times.
 */
export function timeOrder(rows: readonly { time: number }[]): Uint32Array {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let integers = true;
  for (const { time } of rows) {
    if (time < min) min = time;
    if (time > max) max = time;
    if (!Number.isInteger(time)) integers = false;
  }
  const order = new Uint32Array(rows.length);
  if (rows.length === 0) return order;
  if (!integers || max - min > 4 * rows.length + 1024) {
    const indices = Array.from(rows, (_, i) => i).sort((a, b) => rows[a].time - rows[b].time);
    order.set(indices);
    return order;
  }
  const start = new Uint32Array(max - min + 2);
  for (const { time } of rows) start[time - min + 1]++;
  for (let t = 1; t < start.length; t++) start[t] += start[t - 1];
  for (let i = 0; i < rows.length; i++) order[start[rows[i].time - min]++] = i;
  return order;
}

function outcomeFigures(settings: Settings, rows: readonly ImpactRow[], ownOrganization: string | null | undefined, subgroups: boolean): OutcomeFigures {
  // The cells are numbered in the rows' order (sql/impact/records.sql gives a cell's rows
  // together: one lookup per run of them); then the rows go in time order, stably (every
  // subgroup below keeps that order: Comparison merges).
  const cellTable = new CellTable();
  const cellOf = new Int32Array(rows.length);
  for (let i = 0, lastKey: string | null = null, lastId = -1; i < rows.length; i++) {
    if (rows[i].cell !== lastKey) (lastKey = rows[i].cell), (lastId = cellTable.id(lastKey));
    cellOf[i] = lastId;
  }
  const order = timeOrder(rows);
  const participants: Rec[] = [];
  const others: Rec[] = [];
  const roles: Record<Role, Rec[]> = { mentee: [], mentor: [] };
  const byOrg = new Map<string, { participants: Rec[]; others: Rec[] }>();
  const orgOf = (r: Rec) => cellTable.covariates[r.cell].orgId;
  const groupOfCell: { participants: Rec[]; others: Rec[] }[] = [];
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const row = rows[i];
    const r: Rec = { cell: cellOf[i], time: row.time, event: row.event, n: row.n };
    let group = groupOfCell[r.cell];
    if (!group) {
      const org = orgOf(r);
      let ofOrg = byOrg.get(org);
      if (!ofOrg) byOrg.set(org, (ofOrg = { participants: [], others: [] }));
      group = groupOfCell[r.cell] = ofOrg;
    }
    if (row.participant) {
      participants.push(r);
      if (row.role) roles[row.role].push(r);
      group.participants.push(r);
    } else {
      others.push(r);
      group.others.push(r);
    }
  }
  const one = (treated: readonly Rec[], control: readonly Rec[], withOrganization: boolean, label: string, curves = false) => estimateOne(settings, treated, control, withOrganization, label, curves, cellTable);
  const main = one(participants, others, true, "all", true);
  const byRole = Object.fromEntries(
    (["mentee", "mentor"] as const).map((role) => [role, subgroups ? one(roles[role], others, true, `role/${role}`).estimate : insufficient(settings, "not_computed", 0, 0, 0)]),
  ) as Record<Role, Estimate>;
  const orgs = subgroups ? [...byOrg].filter(([, g]) => g.participants.length > 0).map(([org]) => org).sort() : [];
  const byOrganization: (Estimate & { org_id: string })[] = [];
  if (ownOrganization === undefined) {
    for (const org of orgs) {
      const g = byOrg.get(org)!;
      byOrganization.push({ org_id: org, ...one(g.participants, g.others, false, `org/${org}`).estimate });
    }
  } else {
    // A protected reader: its own organization, and the others as one group (docs/privacy.md).
    if (ownOrganization !== null && orgs.includes(ownOrganization)) {
      const g = byOrg.get(ownOrganization)!;
      byOrganization.push({ org_id: ownOrganization, ...one(g.participants, g.others, false, `org/${ownOrganization}`).estimate });
    }
    const rest = (r: Rec) => orgOf(r) !== ownOrganization;
    if (subgroups && participants.some(rest)) {
      byOrganization.push({ org_id: OTHER_ORGANIZATIONS, ...one(participants.filter(rest), others.filter(rest), true, "org/others").estimate });
    }
  }
  const point = main.point;
  // A protected reader: no covariate with a level of 1 to k − 1 people; the organization, shown
  // as its own and "others", goes when its own organization has 1 to k − 1 participants.
  const hide = settings.protectedCounts ? { below: settings.k, exempt: new Set(["organization"]) } : undefined;
  const table = main.comparison && point ? balanceTable(main.comparison.cells, main.comparison.names, point.treated, point.control, point.balance, hide) : [];
  const grouped = ownOrganization === undefined ? table : groupOtherOrganizations(table, ownOrganization);
  const ownCount = ownOrganization ? (byOrg.get(ownOrganization)?.participants ?? []).reduce((sum, r) => sum + r.n, 0) : 0;
  const balance = hide && ownOrganization && ownCount > 0 && ownCount < settings.k ? grouped.filter((row) => row.covariate !== "organization") : grouped;
  const maxAbs = (key: "smd_before" | "smd_after") => (balance.length ? Math.max(...balance.map((b) => Math.abs(b[key]))) : null);
  const curves: OutcomeFigures["curves"] = [];
  const shown = settings.protectedCounts ? curveMonthsShown(settings, participants, others) : null;
  if (point) {
    settings.monthDays.forEach((_, m) => {
      if (shown && !shown[m]) return;
      const band = (side: "participants" | "comparison"): [number, number] => main.bands[m]?.[side] ?? [Number.NaN, Number.NaN];
      curves.push({
        month: m,
        participants: rateOf(settings.outcome, point.participants[m]),
        participants_ci95: band("participants"),
        comparison: rateOf(settings.outcome, point.comparison[m]),
        comparison_ci95: band("comparison"),
        naive_comparison: rateOf(settings.outcome, point.naive[m]),
      });
    });
  }
  return {
    ...main.estimate,
    method: METHODS[settings.variance],
    balance,
    max_abs_smd_before: maxAbs("smd_before"),
    max_abs_smd_after: maxAbs("smd_after"),
    curves,
    by_role: byRole,
    by_organization: byOrganization,
  };
}

/**
 * For a protected reader the balance table names its own organization and one "others" row
 * (docs/privacy.md): the other organizations' shares are added up and the SMD recomputed.
 */
function groupOtherOrganizations(rows: BalanceRow[], own: string | null): BalanceRow[] {
  const others = rows.filter((r) => r.covariate === "organization" && r.level !== own);
  if (others.length === 0) return rows;
  const sum = (key: "participants_share" | "comparison_share_before" | "comparison_share_after") => others.reduce((s, r) => s + r[key], 0);
  const p1 = sum("participants_share");
  const p0 = sum("comparison_share_before");
  const p0w = sum("comparison_share_after");
  const sd = Math.sqrt((p1 * (1 - p1) + p0 * (1 - p0)) / 2);
  const merged: BalanceRow = {
    covariate: "organization",
    level: OTHER_ORGANIZATIONS,
    participants_share: p1,
    comparison_share_before: p0,
    comparison_share_after: p0w,
    smd_before: sd > 0 ? (p1 - p0) / sd : 0,
    smd_after: sd > 0 ? (p1 - p0w) / sd : 0,
  };
  // In place of the first other organization's row.
  return rows.flatMap((r) => (r === others[0] ? [merged] : others.includes(r) ? [] : [r]));
}

/**
 * The money rule: with a cost per departure, departures avoided = the retention effect × the
 * participants in the estimate, benefit = that × the cost per departure, ROI = (benefit −
 * program cost) / program cost, each with the interval the effect's gives. Without a cost per
 * departure, no money figure: never a default.
 */
export function moneyFigures(retention: Estimate | null, costPerDeparture: number | null | undefined, programCost: number | null | undefined): { money: Money | null; status: ImpactFigures["money_status"] } {
  if (costPerDeparture === null || costPerDeparture === undefined) return { money: null, status: "no_cost_per_departure" };
  if (!retention || retention.status !== "ok" || retention.effect === null || retention.participants.n === null) return { money: null, status: "no_estimate" };
  const n = retention.participants.n;
  const avoided = retention.effect * n;
  const avoidedCi: [number, number] = retention.ci95 ? [retention.ci95[0] * n, retention.ci95[1] * n] : [Number.NaN, Number.NaN];
  const benefit = avoided * costPerDeparture;
  const cost = programCost ?? null;
  const roiOf = (b: number) => (cost !== null && cost > 0 ? (b - cost) / cost : null);
  const roi = roiOf(benefit);
  const roiCi = roi === null || !retention.ci95 ? null : ([roiOf(avoidedCi[0] * costPerDeparture)!, roiOf(avoidedCi[1] * costPerDeparture)!] as [number, number]);
  return {
    money: { cost_per_departure: costPerDeparture, departures_avoided: avoided, departures_avoided_ci95: avoidedCi, benefit, program_cost: cost, roi, roi_ci95: roiCi },
    status: "ok",
  };
}

export function estimateImpact(input: ImpactInput, options: ImpactOptions): ImpactFigures {
  const base = {
    horizon_months: input.horizonMonths,
    longest_horizon_months: input.longestHorizonMonths,
    participants_missing_from_workforce: input.participantsMissing,
  };
  const noMoney = { money: null, money_status: options.costPerDeparture == null ? ("no_cost_per_departure" as const) : ("no_estimate" as const) };
  if (input.longestHorizonMonths === null) return { status: "no_workforce", ...base, retention: null, promotion: null, ...noMoney };
  if (input.longestHorizonMonths < input.horizonMonths) return { status: "insufficient_data", ...base, retention: null, promotion: null, ...noMoney };
  const settings = (outcome: Outcome): Settings => ({
    outcome,
    horizonDays: input.monthDays[input.monthDays.length - 1],
    monthDays: input.monthDays,
    k: options.k,
    variance: options.variance ?? DEFAULT_VARIANCE,
    bootstrap: options.bootstrap ?? DEFAULT_BOOTSTRAP,
    seed: options.seed ?? DEFAULT_IMPACT_SEED,
    protectedCounts: options.protectedCounts ?? false,
  });
  const subgroups = options.subgroups ?? true;
  const retention = outcomeFigures(settings("retention"), input.retention, options.ownOrganization, subgroups);
  const promotion = outcomeFigures(settings("promotion"), input.promotion, options.ownOrganization, subgroups);
  const status = retention.status === "ok" || promotion.status === "ok" ? "ok" : "insufficient_data";
  if (options.moneyHidden && options.costPerDeparture != null) return { status, ...base, retention, promotion, money: null, money_status: "hidden" };
  const { money, status: moneyStatus } = moneyFigures(retention, options.costPerDeparture, options.programCost);
  return { status, ...base, retention, promotion, money, money_status: moneyStatus };
}
