/**
 * The overview page: the headline figures as tiles, each figure's trend month by month since
 * the start (`sql/dashboards/overview_trends.sql`), and, for a reader of an organization, that
 * organization beside "other organizations" and the program.
 *
 * Unfiltered, the tiles are the report's program-wide figures (from `getProgramReport`, with the
 * reader's audience, so they equal the JSON endpoint's). Filtered, every tile follows the
 * filters through the pages that publish the same figure for the same filters — the quality
 * page (pairs and their statuses, satisfaction), the topics page (completion), the generations
 * page (participants, cross-generation pairs) — and the cost per matched mentee follows the
 * organization filter only, as on the costs page (cost lines are not attributed to people). So
 * a filtered overview publishes nothing those pages do not, under the same query-space control
 * and suppression (docs/privacy.md), and the privacy audit's model of them covers it.
 *
 * The organization comparison reads the report's organization rows and the costs page's: own
 * organization and "others", as every protected reader sees them.
 *
 * For a protected reader the trends are cumulative figures whose month-to-month differences are
 * the events of one month (one pair matched, one answer given): they are kept only at the end
 * of each period block of the query space and at the last month (docs/privacy.md, rule 1), the
 * satisfaction trend — answers arrive one by one — is not given, and the money trend follows
 * the report (hidden with it in a two-company program). Trends are program-wide.
 */
import type { Db } from "../db/database.server.ts";
import { getProgramReport, type ProgramReport, type ReportOptions } from "../report/report.server.ts";
import { withProgramMarts } from "../metrics/schema.server.ts";
import { dashboardSql } from "./page-query.server.ts";
import { getQuerySpace } from "../privacy/query-space.server.ts";
import { DEFAULT_K } from "../metrics/suppression.ts";
import { getCostsPage } from "./costs.server.ts";
import { NO_FILTERS, type Filters } from "../domain/filters.ts";
import { getGenerationsPage } from "./generations.server.ts";
import { getQuality } from "./quality.server.ts";
import { getTopicsPage } from "./topics.server.ts";

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

/** The figures of the tiles, for the whole program or for the filters. null: hidden or none. */
export interface Headline {
  participants: number | null;
  /** Program-wide only (the tiles' detail line): null when filtered. */
  mentors: number | null;
  mentees: number | null;
  organizations: number | null;
  match_rate: number | null;
  pairs: number | null;
  active_pairs: number | null;
  completed_pairs: number | null;
  ended_early_pairs: number | null;
  topics_targeted: number | null;
  topics_acquired: number | null;
  topic_completion_rate: number | null;
  midpoint_satisfaction_mean: number | null;
  final_satisfaction_mean: number | null;
  cost_per_matched_mentee: number | null;
  cross_generation_pair_rate: number | null;
  median_age_gap_years: number | null;
}

/** One column of the organization comparison. */
export interface OrganizationFigures {
  group: string;
  label: string | null;
  participants: number | null;
  pairs: number | null;
  topic_completion_rate: number | null;
  midpoint_satisfaction_mean: number | null;
  cost_per_matched_mentee: number | null;
}

export interface OrganizationComparison {
  own: OrganizationFigures;
  /** null when the program has no other organization. */
  others: OrganizationFigures | null;
  program: OrganizationFigures;
  /** The program-wide money is hidden (a two-company program, docs/privacy.md). */
  money_hidden: boolean;
}

export interface OverviewData {
  report: ProgramReport;
  trends: TrendRow[];
  /** The tiles' figures: the report's, or those of the filters when some are set. */
  headline: Headline;
  /** Whether the tiles follow filters (the trends and the breakdown charts stay program-wide). */
  filtered: boolean;
  /** The reader's organization beside the others and the program; null for the operator. */
  organization: OrganizationComparison | null;
}

export interface OverviewOptions extends ReportOptions {
  /** The filters, already through the query space (dashboards/context.server.ts). */
  filters?: Filters;
}

/** The report's program-wide figures as tiles. */
export function headlineOfReport(report: ProgramReport): Headline {
  return {
    participants: report.participants.total,
    mentors: report.participants.mentors,
    mentees: report.participants.mentees,
    organizations: report.participants.organizations,
    match_rate: report.pairs.match_rate,
    pairs: report.pairs.total,
    active_pairs: report.pairs.active,
    completed_pairs: report.pairs.completed,
    ended_early_pairs: report.pairs.ended_early,
    topics_targeted: report.topics.targeted,
    topics_acquired: report.topics.acquired,
    topic_completion_rate: report.topics.completion_rate,
    midpoint_satisfaction_mean: report.quality.midpoint_satisfaction_mean,
    final_satisfaction_mean: report.quality.final_satisfaction_mean,
    cost_per_matched_mentee: report.costs.per_matched_mentee,
    cross_generation_pair_rate: report.generations.cross_generation_pair_rate,
    median_age_gap_years: report.generations.median_age_gap_years,
  };
}

function isFiltered(f: Filters): boolean {
  return Object.values(f).some((v) => v !== null);
}

/** The tiles' figures for filters, as the quality, topics, generations and costs pages publish them. */
async function filteredHeadline(db: Db, programId: string, options: OverviewOptions, filters: Filters): Promise<Headline | null> {
  const audience = options.audience ?? "admin";
  const k = audience === "admin" ? null : (options.k ?? DEFAULT_K);
  const orgId = options.orgId ?? null;
  const page = { audience, orgId, k, filters };
  const [quality, topics, generations, costs] = await Promise.all([
    getQuality(db, programId, { k, filters, individualsOrg: null, orgId }),
    getTopicsPage(db, programId, page),
    getGenerationsPage(db, programId, page),
    getCostsPage(db, programId, { ...page, filters: { ...NO_FILTERS, org: filters.org } }),
  ]);
  if (!quality || !topics || !generations || !costs) return null;
  const q = quality.summary;
  return {
    participants: generations.summary.participants,
    mentors: null,
    mentees: null,
    organizations: null,
    match_rate: null,
    pairs: q.pairs,
    active_pairs: q.active_pairs,
    completed_pairs: q.completed_pairs,
    ended_early_pairs: q.ended_early_pairs,
    topics_targeted: topics.summary.topics_targeted,
    topics_acquired: topics.summary.topics_acquired,
    topic_completion_rate: topics.summary.completion_rate,
    midpoint_satisfaction_mean: q.midpoint_satisfaction_mean,
    final_satisfaction_mean: q.final_satisfaction_mean,
    cost_per_matched_mentee: costs.summary.cost_per_matched_mentee,
    cross_generation_pair_rate: generations.summary.cross_generation_pair_rate,
    median_age_gap_years: generations.summary.median_age_gap_years,
  };
}

/** The reader's organization, the others and the program, from the report's and the costs page's rows. */
async function organizationComparison(db: Db, programId: string, options: OverviewOptions, report: ProgramReport): Promise<OrganizationComparison | null> {
  const orgId = options.orgId ?? null;
  if ((options.audience ?? "admin") === "admin" || orgId === null) return null;
  const costs = await getCostsPage(db, programId, { audience: options.audience ?? "admin", orgId, k: options.k ?? DEFAULT_K, filters: NO_FILTERS });
  const column = (group: string): OrganizationFigures | null => {
    const row = report.breakdowns.by_organization.find((r) => r.group === group);
    const money = costs?.by_organization.find((r) => r.group_key === group);
    if (!row && !money) return null;
    return {
      group,
      label: row?.label ?? money?.org_name ?? null,
      participants: row?.participants ?? null,
      pairs: row?.pairs ?? null,
      topic_completion_rate: row?.completion_rate ?? null,
      midpoint_satisfaction_mean: row?.midpoint_satisfaction_mean ?? null,
      cost_per_matched_mentee: money?.cost_per_matched_mentee ?? null,
    };
  };
  const own = column(orgId);
  if (!own) return null;
  return {
    own,
    others: column("others"),
    program: {
      group: "program",
      label: report.program.name,
      participants: report.participants.total,
      pairs: report.pairs.total,
      topic_completion_rate: report.topics.completion_rate,
      midpoint_satisfaction_mean: report.quality.midpoint_satisfaction_mean,
      cost_per_matched_mentee: report.costs.per_matched_mentee,
    },
    money_hidden: costs?.money_hidden !== null && costs?.money_hidden !== undefined,
  };
}

/** The overview of a program, or null when it does not exist (pages.server.ts caches it for the routes). */
export async function getOverview(db: Db, programId: string, options: OverviewOptions): Promise<OverviewData | null> {
  const report = await getProgramReport(db, programId, options);
  if (!report) return null;
  const filters = { ...NO_FILTERS, ...options.filters };
  const filtered = isFiltered(filters);
  const headline = filtered ? await filteredHeadline(db, programId, options, filters) : headlineOfReport(report);
  if (!headline) return null;
  const organization = await organizationComparison(db, programId, options, report);
  const monthly = await withProgramMarts(db, programId, () =>
    dashboardSql<TrendRow>(db, "overview_trends", { program_id: programId, as_of: report.as_of }),
  );
  if (report.audience === "admin") return { report, trends: monthly, headline, filtered, organization };
  const space = await getQuerySpace(db, programId, report.org_id, report.k ?? DEFAULT_K);
  const blockEnds = new Set((space?.blocks ?? []).map((b) => b.months[b.months.length - 1]));
  const last = monthly[monthly.length - 1]?.month;
  const trends = monthly
    .filter((row) => blockEnds.has(row.month) || row.month === last)
    .map((row) => ({ ...row, midpoint_satisfaction_mean: null, cost_per_matched_mentee: report.costs.per_matched_mentee === null ? null : row.cost_per_matched_mentee }));
  return { report, trends, headline, filtered, organization };
}
