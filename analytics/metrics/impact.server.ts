/**
 * The impact section of the report (issue 13, docs/metrics.md "Impact"): the counts from
 * sql/impact/*.sql, the estimate from analytics/impact (pure). Scope and suppression follow
 * docs/privacy.md: a protected reader sees by_organization for its own organization and one
 * "other organizations" row, no figure over fewer than k people, no count of 1 to k − 1.
 */
import { loadSql } from "../db/sql-files.server.ts";
import type { Db } from "../db/database.server.ts";
import { addMonths, daysBetween } from "../impact/bands.ts";
import { estimateImpact, type ImpactFigures, type ImpactOptions, type ImpactRow } from "../impact/estimate.ts";
import { runQuery } from "./queries.server.ts";
import { applyMetricViews, martDerived, withProgramMarts } from "./schema.server.ts";

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

interface RecordListRow {
  outcome: "retention" | "promotion";
  participant: boolean;
  role: ImpactRow["role"];
  cell: string;
  times: number[];
  events: boolean[];
  counts: number[];
}

/**
 * The records of both outcomes, in sql/impact/records.sql's order, read as one row of lists
 * per group of people (sql/impact/record_lists.sql): at 2,000,000 people ~390,000 records in
 * ~3,500 rows; reaching JavaScript as rows (or as columns of rows) took most of a request.
 */
async function readRecords(db: Db, programId: string, horizonMonths: number): Promise<{ retention: ImpactRow[]; promotion: ImpactRow[] }> {
  const { columns, rowCount } = await db.columns(loadSql("impact/record_lists"), { program_id: programId, horizon_months: horizonMonths });
  const c = columns as { [K in keyof RecordListRow]: RecordListRow[K][] };
  const out = { retention: [] as ImpactRow[], promotion: [] as ImpactRow[] };
  for (let i = 0; i < rowCount; i++) {
    const rows = out[c.outcome[i]];
    const [times, events, counts] = [c.times[i], c.events[i], c.counts[i]];
    for (let j = 0; j < times.length; j++) rows.push({ participant: c.participant[i], role: c.role[i], cell: c.cell[i], time: Number(times[j]), event: events[j], n: Number(counts[j]) });
  }
  return out;
}

interface SummaryRow {
  start_date: string;
  workforce: number;
  longest_horizon_months: number | null;
  participants_missing: number;
}

interface ImpactData {
  summary: SummaryRow;
  rows: { retention: ImpactRow[]; promotion: ImpactRow[] };
}

/** The workforce's counts for one horizon (the SQL over the whole workforce), or null without the program. */
async function readImpactData(db: Db, programId: string, horizonMonths: number): Promise<ImpactData | null> {
  const [summary] = await runQuery<SummaryRow>(db, "impact/summary", { program_id: programId });
  if (!summary) return null;
  const rows = summary.workforce > 0 ? await readRecords(db, programId, horizonMonths) : { retention: [], promotion: [] };
  return { summary, rows };
}

/**
 * The counts of one horizon, kept with the marts for the last two horizons asked (~30 MB each
 * at 2,000,000 people), read on `source` (default: `db`). Call inside withProgramMarts.
 */
function keptImpactData(db: Db, programId: string, horizonMonths: number, source: Db = db): Promise<ImpactData | null> {
  return martDerived(db, programId, ["impact-records", horizonMonths], () => readImpactData(source, programId, horizonMonths), 2);
}

/**
 * Reads the workforce's counts of the default horizon (the Impact tab's and the print
 * report's) into the program's kept values now — after an import, at start-up — so that their
 * first reader pays only the estimate (~0.4 s at 2,000,000 people instead of ~1.5 s). The read
 * runs on a connection of its own: one statement of a second on the pages' connection would
 * hold every page's queries behind it.
 */
export async function warmProgramImpact(db: Db, programId: string): Promise<void> {
  const reader = await db.connectAgain().catch(() => null);
  try {
    if (reader) await applyMetricViews(reader);
    await withProgramMarts(db, programId, () => keptImpactData(db, programId, DEFAULT_HORIZON_MONTHS, reader ?? db));
  } finally {
    reader?.close();
  }
}

/**
 * The program's impact figures, or null when the program does not exist. The counts over the
 * workforce (per horizon) and the figures (per horizon, reader and money settings) are kept
 * with the program's materialized marts until its data changes (martDerived): at 2,000,000
 * people the counts take about a second and the estimate half of one, which a report read on
 * every page view cannot pay; only the first read after an import does.
 */
export async function getProgramImpact(db: Db, programId: string, request: ImpactRequest, scope: ImpactScope): Promise<ImpactFigures | null> {
  const { horizonMonths, costPerDeparture, bootstrap, seed } = validateImpactRequest(request);
  const figures = await withProgramMarts(db, programId, async () => {
    // The program's own cost per departure is read with the figures it goes into: setting it
    // (setCostPerDeparture) invalidates the program's marts, and with them the kept figures.
    const key = [scope.k, scope.orgId, bootstrap ?? null, seed ?? null, costPerDeparture === undefined ? "(the program's setting)" : costPerDeparture, scope.programCost, scope.moneyHidden];
    return martDerived(db, programId, ["impact-figures", horizonMonths, ...key], async () => {
      const [setting] = costPerDeparture === undefined ? await runQuery<{ cost_per_departure: number }>(db, "impact/cost_per_departure", { program_id: programId }) : [];
      const options: ImpactOptions = {
        k: scope.k ?? IMPACT_MIN_PEOPLE,
        protectedCounts: scope.k !== null,
        ownOrganization: scope.k === null ? undefined : scope.orgId,
        bootstrap,
        seed,
        costPerDeparture: costPerDeparture === undefined ? (setting?.cost_per_departure ?? null) : costPerDeparture,
        programCost: scope.programCost,
        moneyHidden: scope.moneyHidden,
      };
      // The counts, shared by every reader of that horizon.
      const data = await keptImpactData(db, programId, horizonMonths);
      if (!data) return null;
      const { summary, rows } = data;
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
        options,
      );
    });
  });
  // Kept figures are shared: each caller gets its own copy (a few kB).
  return figures && structuredClone(figures);
}
