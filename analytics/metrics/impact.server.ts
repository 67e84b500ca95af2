/**
 * The impact section of the report (issue 13, docs/metrics.md "Impact"): the counts from
 * sql/impact/*.sql, the estimate from analytics/impact (pure). Scope and suppression follow
 * docs/privacy.md: a protected reader sees by_organization for its own organization and one
 * "other organizations" row, no figure over fewer than k people, no count of 1 to k − 1.
 */
import { loadSql } from "../db/sql-files.server.ts";
import type { Db } from "../db/database.server.ts";
import { addMonths, daysBetween } from "../impact/bands.ts";
import { estimateImpact, type ImpactFigures, type ImpactRow } from "../impact/estimate.ts";
import { runQuery } from "./queries.server.ts";
import { withProgramMarts } from "./schema.server.ts";

export const DEFAULT_HORIZON_MONTHS = 12;
export const MAX_HORIZON_MONTHS = 120;

export interface ImpactRequest {
  /** Months after the start (default 12). */
  horizonMonths?: number;
  /**
   * What one voluntary departure costs: absent (undefined) = the program's own setting
   * (program_impact, set by the operator on /admin/programs); null = none; never a default.
   */
  costPerDeparture?: number | null;
  bootstrap?: number;
  seed?: number;
}

export interface ImpactScope {
  /** Threshold for a protected reader; null for admin (counts shown, estimates still need k). */
  k: number | null;
  /** The protected reader's organization (by_organization: it and "others"); ignored for admin. */
  orgId: string | null;
  programCost: number | null;
  moneyHidden: boolean;
}

/** Minimum people per side of a comparison when nothing is suppressed (admin): a statistical floor. */
export const IMPACT_MIN_PEOPLE = 5;

export function validateImpactRequest(request: ImpactRequest): Required<Pick<ImpactRequest, "horizonMonths">> & ImpactRequest {
  const horizonMonths = request.horizonMonths ?? DEFAULT_HORIZON_MONTHS;
  if (!Number.isInteger(horizonMonths) || horizonMonths < 1 || horizonMonths > MAX_HORIZON_MONTHS) {
    throw new RangeError(`invalid horizon: ${JSON.stringify(request.horizonMonths)} (whole months, 1–${MAX_HORIZON_MONTHS})`);
  }
  const cost = request.costPerDeparture;
  if (cost !== undefined && cost !== null && !(Number.isFinite(cost) && cost > 0)) throw new RangeError(`invalid cost per departure: ${JSON.stringify(cost)} (a positive amount)`);
  return { ...request, horizonMonths, costPerDeparture: cost };
}

interface RecordRow extends ImpactRow {
  outcome: "retention" | "promotion";
}

/**
 * The records of both outcomes, read column-wise (at 2,000,000 people they are ~400,000 rows:
 * row objects through the JSON converter took most of the request, columns are 4–5× faster).
 */
async function readRecords(db: Db, programId: string, horizonMonths: number): Promise<{ retention: ImpactRow[]; promotion: ImpactRow[] }> {
  const { columns, rowCount } = await db.columns(loadSql("impact/records"), { program_id: programId, horizon_months: horizonMonths });
  const c = columns as { [K in keyof RecordRow]: RecordRow[K][] };
  const out = { retention: [] as ImpactRow[], promotion: [] as ImpactRow[] };
  for (let i = 0; i < rowCount; i++) {
    out[c.outcome[i]].push({ participant: c.participant[i], role: c.role[i], cell: c.cell[i], time: Number(c.time[i]), event: c.event[i], n: Number(c.n[i]) });
  }
  return out;
}

interface SummaryRow {
  start_date: string;
  workforce: number;
  longest_horizon_months: number | null;
  participants_missing: number;
}

/** The program's impact figures, or null when the program does not exist. */
export async function getProgramImpact(db: Db, programId: string, request: ImpactRequest, scope: ImpactScope): Promise<ImpactFigures | null> {
  const { horizonMonths, costPerDeparture, bootstrap, seed } = validateImpactRequest(request);
  const data = await withProgramMarts(db, programId, async () => {
    const [summary] = await runQuery<SummaryRow>(db, "impact/summary", { program_id: programId });
    if (!summary) return null;
    const rows = summary.workforce > 0 ? await readRecords(db, programId, horizonMonths) : { retention: [], promotion: [] };
    const [setting] = costPerDeparture === undefined ? await runQuery<{ cost_per_departure: number }>(db, "impact/cost_per_departure", { program_id: programId }) : [];
    return { summary, rows, cost: costPerDeparture === undefined ? (setting?.cost_per_departure ?? null) : costPerDeparture };
  });
  if (!data) return null;
  const { summary, rows, cost } = data;
  const monthDays = Array.from({ length: horizonMonths + 1 }, (_, m) => daysBetween(summary.start_date, addMonths(summary.start_date, m)));
  return estimateImpact(
    {
      horizonMonths,
      monthDays,
      longestHorizonMonths: summary.workforce > 0 ? summary.longest_horizon_months : null,
      participantsMissing: summary.participants_missing,
      retention: rows.retention,
      promotion: rows.promotion,
    },
    {
      k: scope.k ?? IMPACT_MIN_PEOPLE,
      protectedCounts: scope.k !== null,
      ownOrganization: scope.k === null ? undefined : scope.orgId,
      bootstrap,
      seed,
      costPerDeparture: cost,
      programCost: scope.programCost,
      moneyHidden: scope.moneyHidden,
    },
  );
}
