/**
 * Quotas inside a simulation: for each strategy that assigns by weights (optimal on the
 * compatibility score, learned on the cross-fitted success probabilities), the matching under
 * the quotas and the price of each quota in expected successful pairs, judged by the outcome
 * model (point model and bootstrap refits) as every strategy is. Pure.
 */
import { GENERATION_KEYS, isCrossGeneration } from "../domain/generations.ts";
import { FEATURE_COUNT, pairFeatures, type EncodedProgram } from "./compatibility.ts";
import type { Predictor } from "./evaluate.ts";
import { quotaPrices, QUOTA_NAMES, type QuotaInstance, type QuotaPrice, type Quotas } from "./quotas.ts";
import type { ProgramData } from "./types.ts";

export interface QuotaReport {
  quotas: Quotas;
  /** Per strategy: the price of each quota alone and of all together. */
  strategies: { strategy: string; prices: QuotaPrice[] }[];
  /** Why nothing was priced (no model, or no quota). */
  note: string | null;
  /** The same reason as a code, when the page says it in the reader's language. */
  note_code?: "sparse_mode";
}

/** Parses `cross_generation=0.9,cross_company=0.5` (shares 0–1, or percentages 0–100 with %). */
export function parseQuotas(text: string): Quotas {
  const quotas: Quotas = {};
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const [name, raw] = part.split("=").map((p) => p.trim());
    if (!(QUOTA_NAMES as readonly string[]).includes(name)) throw new RangeError(`unknown quota ${JSON.stringify(name)} (one of ${QUOTA_NAMES.join(", ")})`);
    const value = raw?.endsWith("%") ? Number(raw.slice(0, -1)) / 100 : Number(raw);
    if (raw === undefined || raw === "" || !Number.isFinite(value) || value < 0 || value > 1) throw new RangeError(`invalid quota ${name}=${raw} (a share between 0 and 1, or a percentage like 90%)`);
    quotas[name as keyof Quotas] = value;
  }
  return quotas;
}

export function quotaInstance(program: ProgramData, enc: EncodedProgram, rows: number, cols: number, weights: Float64Array, capacities: Int32Array): QuotaInstance {
  const crossGeneration = new Uint8Array(rows * cols);
  const crossCompany = new Uint8Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      crossGeneration[i * cols + j] = isCrossGeneration(enc.mentors.birthYear[j], enc.mentees.birthYear[i]) ? 1 : 0;
      crossCompany[i * cols + j] = enc.mentors.org[j] !== enc.mentees.org[i] ? 1 : 0;
    }
  }
  return {
    rows,
    cols,
    weights,
    capacities,
    menteeOrg: program.mentees.map((p) => p.orgId),
    menteeGeneration: Array.from(enc.mentees.generation, (g) => GENERATION_KEYS[g]),
    crossGeneration,
    crossCompany,
  };
}

/** Expected successful pairs of a matching under each parameter row of the predictor (row 0 = point model). */
export function expectedSuccessesByRefit(enc: EncodedProgram, targetGapYears: number, predictor: Predictor, mentee: Int32Array, mentor: Int32Array): Float64Array {
  const out = new Float64Array(predictor.rows);
  const x = new Float64Array(FEATURE_COUNT);
  const p = FEATURE_COUNT;
  for (let k = 0; k < mentee.length; k++) {
    pairFeatures(enc, mentor[k], mentee[k], targetGapYears, x);
    for (let r = 0; r < predictor.rows; r++) {
      const base = r * predictor.width;
      let eta = predictor.params[base];
      for (let f = 0; f < p; f++) eta += predictor.params[base + 1 + f] * (Number.isNaN(x[f]) ? predictor.params[base + 1 + p + f] : x[f]);
      out[r] += 1 / (1 + Math.exp(-eta));
    }
  }
  return out;
}

export async function runQuotas(
  input: { program: ProgramData; enc: EncodedProgram; rows: number; cols: number; capacities: Int32Array; targetGapYears: number; predictor: Predictor | null },
  quotas: Quotas,
  weightsByStrategy: { strategy: string; weights: Float64Array }[],
): Promise<QuotaReport> {
  if (input.predictor === null) return { quotas, strategies: [], note: "no outcome model: the price in expected successful pairs cannot be computed" };
  if (weightsByStrategy.length === 0) return { quotas, strategies: [], note: "quotas apply to optimal and learned: run one of them" };
  const judge = (mentee: Int32Array, mentor: Int32Array) => expectedSuccessesByRefit(input.enc, input.targetGapYears, input.predictor!, mentee, mentor);
  const strategies = [];
  for (const { strategy, weights } of weightsByStrategy) {
    const inst = quotaInstance(input.program, input.enc, input.rows, input.cols, weights, input.capacities);
    strategies.push({ strategy, prices: (await quotaPrices(inst, quotas, judge)).prices });
  }
  return { quotas, strategies, note: null };
}
