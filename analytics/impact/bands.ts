/**
 * The covariates the impact figures balance (issue 13, decision 0020): organization,
 * generation (analytics/domain/generations.ts), job level and tenure band at the program's
 * start. Pure; `sql/impact/*.sql` computes the same bands (a test checks they agree), and the
 * demo generator draws its outcomes from them.
 */
import { GENERATION_KEYS, generationOf, type GenerationKey } from "../domain/generations.ts";

/** Tenure at the program's start, in whole years completed: < 2, 2–4, 5–9, 10–19, ≥ 20. */
export const TENURE_BANDS = ["lt2", "2to5", "5to10", "10to20", "ge20"] as const;
export type TenureBand = (typeof TENURE_BANDS)[number];

export const TENURE_BAND_LABELS: Record<TenureBand, string> = {
  lt2: "under 2 years",
  "2to5": "2–4 years",
  "5to10": "5–9 years",
  "10to20": "10–19 years",
  ge20: "20 years or more",
};

/** Job levels 1–5, and `unknown` when the workforce file leaves it empty. */
export const JOB_LEVEL_KEYS = ["1", "2", "3", "4", "5", "unknown"] as const;
export type JobLevelKey = (typeof JOB_LEVEL_KEYS)[number];

export { GENERATION_KEYS, type GenerationKey };

export function tenureBand(completedYears: number): TenureBand {
  if (!Number.isInteger(completedYears) || completedYears < 0) throw new RangeError(`invalid tenure: ${completedYears}`);
  if (completedYears < 2) return "lt2";
  if (completedYears < 5) return "2to5";
  if (completedYears < 10) return "5to10";
  if (completedYears < 20) return "10to20";
  return "ge20";
}

/**
 * Whole years from `from` to `to` (ISO dates, `from` ≤ `to`): a year counts once its
 * anniversary is reached, a 29 February's anniversary being the 28th in other years — as
 * DuckDB's `date_sub('year', from, to)` counts (sql/marts/macros/tenure_band.sql).
 */
export function completedYears(from: string, to: string): number {
  let years = Number(to.slice(0, 4)) - Number(from.slice(0, 4));
  if (addMonths(from, 12 * years) > to) years -= 1;
  return years;
}

export function jobLevelKey(level: number | null): JobLevelKey {
  return level === null ? "unknown" : (String(level) as JobLevelKey);
}

/** The four balanced covariates of one person. */
export interface Covariates {
  orgId: string;
  generation: GenerationKey;
  jobLevel: JobLevelKey;
  tenure: TenureBand;
}

export function covariatesOf(orgId: string, birthYear: number, jobLevel: number | null, hireDate: string, startDate: string): Covariates {
  return { orgId, generation: generationOf(birthYear), jobLevel: jobLevelKey(jobLevel), tenure: tenureBand(completedYears(hireDate, startDate)) };
}

/** A cell: one value of each covariate, `org|generation|level|tenure`. */
export function cellKey(c: Covariates): string {
  return `${c.orgId}|${c.generation}|${c.jobLevel}|${c.tenure}`;
}

export function parseCellKey(key: string): Covariates {
  const [orgId, generation, jobLevel, tenure] = key.split("|");
  return { orgId, generation: generation as GenerationKey, jobLevel: jobLevel as JobLevelKey, tenure: tenure as TenureBand };
}

/** The day `months` calendar months after an ISO date (clamped to the month's end), as ISO. */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split("-").map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

/** Days from one ISO date to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
