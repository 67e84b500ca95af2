/**
 * The overview page: the report's program-wide figures as tiles (from `getProgramReport`, with
 * the reader's audience, so they equal the JSON endpoint's) and each figure's trend month by
 * month since the start (`sql/dashboards/overview_trends.sql`). Program-wide figures are
 * published for every audience (docs/metrics.md), so the trends need no suppression; the
 * breakdown charts use the report's already-suppressed breakdown rows.
 */
import type { Db } from "../db/database.server.ts";
import { getProgramReport, type ProgramReport, type ReportOptions } from "../metrics/report.server.ts";
import { withProgramMarts } from "../metrics/schema.server.ts";
import { dashboardSql } from "./page-query.server.ts";

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
  const trends = await withProgramMarts(db, programId, () =>
    dashboardSql<TrendRow>(db, "overview_trends", { program_id: programId, as_of: report.as_of }),
  );
  return { report, trends };
}
