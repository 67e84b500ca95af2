/**
 * The overview page: the report's program-wide figures as tiles (from `getProgramReport`, with
 * the reader's audience, so they equal the JSON endpoint's) and each figure's trend month by
 * month since the start (`sql/dashboards/overview_trends.sql`). Program-wide figures are
 * published for every audience (docs/metrics.md); the breakdown charts use the report's
 * already-suppressed breakdown rows. For a protected reader the trends are cumulative figures
 * whose month-to-month differences are the events of one month (one pair matched, one answer
 * given): they are kept only at the end of each period block of the query space and at the
 * last month (docs/privacy.md, rule 1), the satisfaction trend — answers arrive one by one — is
 * not given, and the money trend follows the report (hidden with it in a two-company program).
 */
import type { Db } from "../db/database.server.ts";
import { getProgramReport, type ProgramReport, type ReportOptions } from "../metrics/report.server.ts";
import { withProgramMarts } from "../metrics/schema.server.ts";
import { dashboardSql } from "./page-query.server.ts";
import { getQuerySpace } from "../privacy/query-space.server.ts";
import { DEFAULT_K } from "../metrics/suppression.ts";

export interface TrendRow {
  month: string;
  participants: number;
  pairs: number;
  active_pairs: number;
  topic_completion_rate: number | null;
  midpoint_satisfaction_mean: number | null;
  cost_per_matched_mentee: number | null;
  cross_generation_pair_rate: number | null;
}

export interface OverviewData {
  report: ProgramReport;
  trends: TrendRow[];
}

/** The overview of a program, or null when it does not exist (pages.server.ts caches it for the routes). */
export async function getOverview(db: Db, programId: string, options: ReportOptions): Promise<OverviewData | null> {
  const report = await getProgramReport(db, programId, options);
  if (!report) return null;
  const monthly = await withProgramMarts(db, programId, () =>
    dashboardSql<TrendRow>(db, "overview_trends", { program_id: programId, as_of: report.as_of }),
  );
  if (report.audience === "admin") return { report, trends: monthly };
  const space = await getQuerySpace(db, programId, report.org_id, report.k ?? DEFAULT_K);
  const blockEnds = new Set((space?.blocks ?? []).map((b) => b.months[b.months.length - 1]));
  const last = monthly[monthly.length - 1]?.month;
  const trends = monthly
    .filter((row) => blockEnds.has(row.month) || row.month === last)
    .map((row) => ({ ...row, midpoint_satisfaction_mean: null, cost_per_matched_mentee: report.costs.per_matched_mentee === null ? null : row.cost_per_matched_mentee }));
  return { report, trends };
}
