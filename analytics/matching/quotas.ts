/**
 * Quotas and their price (issue 15, item 3): an assignment under the usual capacities and
 * forbidden pairs plus optional quotas — a minimum share of cross-generation pairs, of
 * cross-company pairs, a minimum coverage (share of mentees matched) per organization and per
 * mentee generation — solved exactly as an integer program with HiGHS (npm `highs`, the solver
 * the privacy audit uses): first the most pairs the quotas allow, then the largest total
 * weight with that many pairs (the same order as `optimal` and `learned`). Infeasible quotas
 * are named with the reason. The price of a quota is the drop in expected successful pairs
 * against the same weights without it, with a bootstrap interval. Instances above
 * MAX_EXACT_CELLS allowed pairs are not solved here (no gap to a bound yet: said so).
 */
import highsLoader, { type Highs } from "highs";
import { quotaReasonText, type QuotaReason } from "./reasons.ts";

export type { QuotaReason } from "./reasons.ts";

let solver: Promise<Highs> | null = null;

/** HiGHS (wasm), loaded once per process; a failed load is retried on the next call. */
function loadSolver(): Promise<Highs> {
  solver ??= highsLoader().catch((error: unknown) => {
    solver = null;
    throw new Error(`could not load the HiGHS solver (npm package highs): ${String(error)}`);
  });
  return solver;
}

/** Allowed pairs above which the exact integer program is not attempted. */
export const MAX_EXACT_CELLS = 20_000;

export interface Quotas {
  /** Minimum share (0–1) of the pairs whose mentor and mentee are of different generations. */
  cross_generation?: number;
  /** Minimum share (0–1) of the pairs across organizations. */
  cross_company?: number;
  /** Minimum share (0–1) of each organization's mentees that are matched. */
  organization_coverage?: number;
  /** Minimum share (0–1) of each mentee generation's mentees that are matched. */
  generation_coverage?: number;
}

export const QUOTA_NAMES = ["cross_generation", "cross_company", "organization_coverage", "generation_coverage"] as const;
export type QuotaName = (typeof QUOTA_NAMES)[number];

export interface QuotaInstance {
  rows: number;
  cols: number;
  /** Weight of each (mentee, mentor) cell, −Infinity = forbidden. */
  weights: Float64Array;
  capacities: Int32Array;
  /** Each mentee's organization and generation (labels, for the groups and the reasons). */
  menteeOrg: string[];
  menteeGeneration: string[];
  /** 1 when the cell's pair is cross-generation / cross-company. */
  crossGeneration: Uint8Array;
  crossCompany: Uint8Array;
}

export type QuotaSolution =
  | { status: "optimal"; mentee: Int32Array; mentor: Int32Array; pairs: number; total: number }
  | { status: "infeasible"; reasons: string[]; details: QuotaReason[] }
  | { status: "too_large"; cells: number; reason: string; detail: QuotaReason };

interface Cell {
  i: number;
  j: number;
  w: number;
}

function cellsOf(inst: QuotaInstance): Cell[] {
  const cells: Cell[] = [];
  for (let i = 0; i < inst.rows; i++) {
    for (let j = 0; j < inst.cols; j++) {
      const w = inst.weights[i * inst.cols + j];
      if (w !== -Infinity && inst.capacities[j] > 0) cells.push({ i, j, w });
    }
  }
  return cells;
}

function groups(labels: string[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  labels.forEach((g, i) => out.set(g, [...(out.get(g) ?? []), i]));
  return out;
}

const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(15));
const term = (c: number, k: number) => `${c >= 0 ? "+" : "-"} ${num(Math.abs(c))} x${k}`;

/** The LP-format text of one stage: `objective` per cell, quotas, and optionally Σx = pairs. */
function lpText(inst: QuotaInstance, cells: Cell[], quotas: Quotas, objective: (c: Cell) => number, pairs: number | null): string {
  const lines = ["Maximize", ` obj: ${cells.map((c, k) => term(objective(c), k)).join(" ") || "0 x0"}`, "Subject To"];
  const byMentee = new Map<number, number[]>();
  const byMentor = new Map<number, number[]>();
  cells.forEach((c, k) => {
    byMentee.set(c.i, [...(byMentee.get(c.i) ?? []), k]);
    byMentor.set(c.j, [...(byMentor.get(c.j) ?? []), k]);
  });
  for (const [i, ks] of byMentee) lines.push(` e${i}: ${ks.map((k) => `+ x${k}`).join(" ")} <= 1`);
  for (const [j, ks] of byMentor) if (ks.length > inst.capacities[j]) lines.push(` r${j}: ${ks.map((k) => `+ x${k}`).join(" ")} <= ${inst.capacities[j]}`);
  const share = (name: string, flag: Uint8Array, s: number | undefined) => {
    if (s === undefined || s <= 0 || cells.length === 0) return;
    lines.push(` ${name}: ${cells.map((c, k) => term(flag[c.i * inst.cols + c.j] - s, k)).join(" ")} >= 0`);
  };
  share("qgen", inst.crossGeneration, quotas.cross_generation);
  share("qco", inst.crossCompany, quotas.cross_company);
  const coverage = (prefix: string, labels: string[], s: number | undefined) => {
    if (s === undefined || s <= 0) return;
    let g = 0;
    for (const members of groups(labels).values()) {
      const need = Math.ceil(s * members.length - 1e-9);
      const ks = members.flatMap((i) => byMentee.get(i) ?? []);
      lines.push(` ${prefix}${g++}: ${ks.length > 0 ? ks.map((k) => `+ x${k}`).join(" ") : "0 x0"} >= ${need}`);
    }
  };
  coverage("qorg", inst.menteeOrg, quotas.organization_coverage);
  coverage("qgc", inst.menteeGeneration, quotas.generation_coverage);
  if (pairs !== null && cells.length > 0) lines.push(` npairs: ${cells.map((_, k) => `+ x${k}`).join(" ")} = ${pairs}`);
  lines.push("Binary", ...cells.map((_, k) => ` x${k}`), "End");
  return lines.join("\n");
}

const EXACT = { mip_rel_gap: 0, mip_abs_gap: 1e-9, output_flag: false } as const;

async function solveStage(text: string): Promise<{ feasible: boolean; x: number[]; value: number }> {
  const highs = await loadSolver();
  const solution = highs.solve(text, EXACT);
  if (solution.Status === "Infeasible") return { feasible: false, x: [], value: NaN };
  if (solution.Status !== "Optimal") throw new Error(`the integer program stopped with status ${solution.Status}`);
  const columns = solution.Columns as Record<string, { Primal: number }>;
  const x: number[] = [];
  for (const [name, column] of Object.entries(columns)) x[Number(name.slice(1))] = column.Primal;
  return { feasible: true, x, value: solution.ObjectiveValue };
}

/** Why the coverage quotas cannot all hold: the groups whose quota exceeds what can be matched. */
async function infeasibleReasons(inst: QuotaInstance, cells: Cell[], quotas: Quotas): Promise<QuotaReason[]> {
  const reasons: QuotaReason[] = [];
  const check = async (quota: "organization_coverage" | "generation_coverage", dimension: "organization" | "generation", labels: string[], s: number | undefined) => {
    if (s === undefined || s <= 0) return;
    for (const [group, members] of groups(labels)) {
      const inGroup = new Set(members);
      const best = await solveStage(lpText(inst, cells, {}, (c) => (inGroup.has(c.i) ? 1 : 0), null));
      const reachable = Math.round(best.value);
      const need = Math.ceil(s * members.length - 1e-9);
      if (reachable < need) reasons.push({ code: "group_unreachable", quota, dimension, group, mentees: members.length, reachable, need });
    }
  };
  await check("organization_coverage", "organization", inst.menteeOrg, quotas.organization_coverage);
  await check("generation_coverage", "generation", inst.menteeGeneration, quotas.generation_coverage);
  if (reasons.length > 0) return reasons;
  // Every group can be served alone: do they need more matched mentees than can be matched at all?
  const most = Math.round((await solveStage(lpText(inst, cells, {}, () => 1, null))).value);
  const total = (quota: QuotaName, labels: string[], s: number | undefined) => {
    if (s === undefined || s <= 0) return;
    let need = 0;
    for (const members of groups(labels).values()) need += Math.ceil(s * members.length - 1e-9);
    if (need > most) reasons.push({ code: "total_exceeds", quota, need, most });
  };
  total("organization_coverage", inst.menteeOrg, quotas.organization_coverage);
  total("generation_coverage", inst.menteeGeneration, quotas.generation_coverage);
  if (reasons.length > 0) return reasons;
  return [{ code: "compete", quotas: QUOTA_NAMES.filter((q) => (quotas[q] ?? 0) > 0) }];
}

/** The most pairs the quotas allow, then the largest total weight (exact), or why not. */
export async function solveWithQuotas(inst: QuotaInstance, quotas: Quotas): Promise<QuotaSolution> {
  for (const q of QUOTA_NAMES) {
    const v = quotas[q];
    if (v !== undefined && !(v >= 0 && v <= 1)) throw new RangeError(`invalid quota ${q}: ${v} (a share between 0 and 1)`);
  }
  const cells = cellsOf(inst);
  if (cells.length > MAX_EXACT_CELLS) {
    const detail: QuotaReason = { code: "too_large", cells: cells.length, max: MAX_EXACT_CELLS };
    return { status: "too_large", cells: cells.length, reason: quotaReasonText(detail), detail };
  }
  const first = await solveStage(lpText(inst, cells, quotas, () => 1, null));
  if (!first.feasible) {
    const details = await infeasibleReasons(inst, cells, quotas);
    return { status: "infeasible", reasons: details.map(quotaReasonText), details };
  }
  const pairs = Math.round(first.value);
  const second = await solveStage(lpText(inst, cells, quotas, (c) => c.w, pairs));
  if (!second.feasible) throw new Error("internal: the second stage of the quota program is infeasible");
  const chosen = cells.filter((_, k) => second.x[k] > 0.5);
  return {
    status: "optimal",
    mentee: Int32Array.from(chosen, (c) => c.i),
    mentor: Int32Array.from(chosen, (c) => c.j),
    pairs: chosen.length,
    total: chosen.reduce((s, c) => s + c.w, 0),
  };
}

/** Which quotas a matching breaks (empty = none): the check the tests and the callers share. */
export function quotaViolations(inst: QuotaInstance, quotas: Quotas, mentee: Int32Array, mentor: Int32Array): string[] {
  const out: string[] = [];
  const n = mentee.length;
  let gen = 0;
  let co = 0;
  for (let k = 0; k < n; k++) {
    gen += inst.crossGeneration[mentee[k] * inst.cols + mentor[k]];
    co += inst.crossCompany[mentee[k] * inst.cols + mentor[k]];
  }
  const eps = 1e-9;
  if ((quotas.cross_generation ?? 0) > 0 && gen < (quotas.cross_generation ?? 0) * n - eps) out.push("cross_generation");
  if ((quotas.cross_company ?? 0) > 0 && co < (quotas.cross_company ?? 0) * n - eps) out.push("cross_company");
  const matched = new Set(mentee);
  const coverage = (name: QuotaName, labels: string[], s: number | undefined) => {
    if (!s) return;
    for (const [group, members] of groups(labels)) {
      const got = members.filter((i) => matched.has(i)).length;
      if (got < s * members.length - eps) out.push(`${name}:${group}`);
    }
  };
  coverage("organization_coverage", inst.menteeOrg, quotas.organization_coverage);
  coverage("generation_coverage", inst.menteeGeneration, quotas.generation_coverage);
  return out;
}

export interface QuotaPrice {
  /** One quota alone, or "all" of them together. */
  quota: QuotaName | "all";
  status: QuotaSolution["status"];
  /** Why it is infeasible or not computed, in English; `details` the same as data (older results lack it). */
  reasons: string[];
  details?: QuotaReason[];
  pairs: number | null;
  expected_successes: number | null;
  /** Expected successful pairs without the quota − with it (≥ 0 up to the judge's noise). */
  price: number | null;
  /** 95 % percentile interval of the price over the judge's bootstrap refits. */
  price_interval: [number, number] | null;
}

/**
 * The price of each quota given, alone and all together: the drop in expected successful pairs
 * (by `judge`: the sum of the pairs' success probabilities under the point model and each
 * bootstrap refit, index 0 = point model) against the same weights without quotas.
 */
export async function quotaPrices(inst: QuotaInstance, quotas: Quotas, judge: (mentee: Int32Array, mentor: Int32Array) => Float64Array): Promise<{ baseline: QuotaSolution; prices: QuotaPrice[] }> {
  const baseline = await solveWithQuotas(inst, {});
  const given = QUOTA_NAMES.filter((q) => (quotas[q] ?? 0) > 0);
  const sets: [QuotaName | "all", Quotas][] = given.map((q) => [q, { [q]: quotas[q] }]);
  if (given.length > 1) sets.push(["all", quotas]);
  const base = baseline.status === "optimal" ? judge(baseline.mentee, baseline.mentor) : null;
  const prices: QuotaPrice[] = [];
  for (const [quota, set] of sets) {
    const s = await solveWithQuotas(inst, set);
    if (s.status !== "optimal" || base === null) {
      const details = s.status === "infeasible" ? s.details : s.status === "too_large" ? [s.detail] : [];
      prices.push({ quota, status: s.status, reasons: details.map(quotaReasonText), details, pairs: null, expected_successes: null, price: null, price_interval: null });
      continue;
    }
    const withQuota = judge(s.mentee, s.mentor);
    const diffs = Array.from(base, (b, r) => b - withQuota[r]);
    const refits = diffs.slice(1).sort((a, b) => a - b);
    const at = (q: number) => refits[Math.min(refits.length - 1, Math.max(0, Math.round(q * (refits.length - 1))))];
    prices.push({
      quota,
      status: "optimal",
      reasons: [],
      details: [],
      pairs: s.pairs,
      expected_successes: withQuota[0],
      price: diffs[0],
      price_interval: refits.length > 0 ? [at(0.025), at(0.975)] : null,
    });
  }
  return { baseline, prices };
}
