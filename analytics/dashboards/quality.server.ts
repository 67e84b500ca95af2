/**
 * The pair-quality page: satisfaction at mid-point and final, meeting regularity month by
 * month, early terminations and their reasons, at-risk pairs — over the pairs the URL filters
 * select (`sql/dashboards/quality_*.sql`). Without filters the figures are the report's.
 * Non-admin audiences get the report's suppression (`suppressBreakdown`, threshold k); the
 * at-risk pairs themselves only for a reader allowed to see individuals (`individualsOrg`).
 */
import { individualsParams, type IndividualsScope } from "../auth/scope.server.ts";
import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { withProgramMarts } from "../metrics/schema.server.ts";
import { protectedSatisfaction, type SatisfactionBar } from "../privacy/linked.server.ts";
import { closeHidden } from "../privacy/consistent.ts";
import { getHiddenCategories, meanKey } from "../privacy/consistent.server.ts";
import { getQuerySpace } from "../privacy/query-space.server.ts";
import { hideSmall } from "../metrics/suppression.ts";
import { filterParams, NO_FILTERS, type Filters } from "../domain/filters.ts";
import { dashboardSql } from "./page-query.server.ts";
import { partialLastMonth } from "./regularity.ts";

/** How many at-risk pairs the page lists (the Arrow detail has them all). */
export const AT_RISK_LIST_LIMIT = 100;

export interface QualityOptions {
  /** Suppression threshold; null for the admin audience. */
  k: number | null;
  filters?: Filters;
  /** Whose individual pairs the reader may see: every organization's, one's, or null (counts only). */
  individualsOrg: IndividualsScope | null;
  /**
   * The intruder audit's "protections off" mode only (analytics/audit/audit.server.ts): the
   * figures as the previous release served them (per-view hiding only, a mean kept next to the
   * bars it reveals). No route sets it.
   */
  protectionsOff?: boolean;
  /** The reader's organization (protected audiences): which categories it sees hidden everywhere. */
  orgId?: string | null;
}

export interface QualitySummary {
  participants: number | null;
  pairs: number | null;
  active_pairs: number | null;
  completed_pairs: number | null;
  ended_early_pairs: number | null;
  early_termination_rate: number | null;
  midpoint_response_rate: number | null;
  midpoint_flagged_pairs: number | null;
  at_risk_pairs: number | null;
  at_risk_flagged: number | null;
  at_risk_no_midpoint: number | null;
  at_risk_no_recent_meeting: number | null;
  meeting_regularity: number | null;
  midpoint_satisfaction_mean: number | null;
  midpoint_respondents: number | null;
  final_satisfaction_mean: number | null;
  final_respondents: number | null;
  /** The filtered pairs involve fewer than k people: every figure is hidden. */
  suppressed: boolean;
  suppressed_fields: string[];
}

/** One bar of the satisfaction histogram (hidden bars: null counts, `suppressed`). */
export type SatisfactionRow = SatisfactionBar;

export interface RegularityRow {
  month: string;
  running_pairs: number | null;
  pairs_with_meeting: number | null;
  share_with_meeting: number | null;
  suppressed: boolean;
  /** The month of as_of, not over yet (./regularity.ts): in the table, not in the chart. */
  partial: boolean;
}

export interface TerminationRow {
  reason: string;
  pairs: number | null;
  participants: number | null;
  suppressed: boolean;
}

export interface AtRiskPair {
  pair_id: string;
  mentor_id: string | null;
  mentor_org_id: string;
  mentee_id: string | null;
  mentee_org_id: string;
  matched_at: string;
  last_meeting_date: string | null;
  flagged_at_midpoint: boolean;
  no_midpoint_evaluation: boolean;
  no_recent_meeting: boolean;
}

export interface QualityData {
  as_of: string;
  summary: QualitySummary;
  satisfaction: SatisfactionRow[];
  regularity: RegularityRow[];
  terminations: TerminationRow[];
  /**
   * Breakdowns of a group of fewer than k people, not shown at all (docs/privacy.md, rule 2):
   * the phases whose respondents are 1 to k − 1 (their bars are left out of `satisfaction`),
   * and whether the pairs that ended early hold 1 to k − 1 people (`terminations` is empty).
   */
  withheld: { satisfaction: ("midpoint" | "final")[]; terminations: boolean };
  /** The first AT_RISK_LIST_LIMIT at-risk pairs the reader may see; null when they may not see individual pairs. */
  atRisk: AtRiskPair[] | null;
}

type SummarySql = Omit<QualitySummary, "suppressed" | "suppressed_fields"> & Record<string, number | null>;

function suppressSummary(s: SummarySql, k: number | null): QualitySummary {
  const keys = Object.keys(s) as (keyof SummarySql & string)[];
  if (k !== null && (s.participants ?? 0) > 0 && (s.participants ?? 0) < k) {
    return { ...(Object.fromEntries(keys.map((key) => [key, null])) as unknown as SummarySql), suppressed: true, suppressed_fields: keys };
  }
  const out: QualitySummary = { ...s, suppressed: false, suppressed_fields: [] };
  const mid = hideSmall(s.midpoint_satisfaction_mean, s.midpoint_respondents ?? 0, k);
  if (mid === null && s.midpoint_satisfaction_mean !== null) out.suppressed_fields.push("midpoint_satisfaction_mean");
  out.midpoint_satisfaction_mean = mid;
  const fin = hideSmall(s.final_satisfaction_mean, s.final_respondents ?? 0, k);
  if (fin === null && s.final_satisfaction_mean !== null) out.suppressed_fields.push("final_satisfaction_mean");
  out.final_satisfaction_mean = fin;
  return out;
}

/** The pair-quality page's data, or null when the program does not exist (pages.server.ts caches it for the routes). */
export function getQuality(db: Db, programId: string, options: QualityOptions): Promise<QualityData | null> {
  return computeQuality(db, programId, options);
}

async function computeQuality(db: Db, programId: string, options: QualityOptions): Promise<QualityData | null> {
  const { k, individualsOrg } = options;
  const filters = options.filters ?? NO_FILTERS;
  return withProgramMarts(db, programId, async () => {
    const [program] = await db.all<{ as_of: string; end_date: string }>(loadSql("queries/report_program"), { program_id: programId, as_of: null });
    if (!program) return null;
    const params = { program_id: programId, as_of: program.as_of, ...filterParams(filters) };
    const partialMonth = partialLastMonth(String(program.as_of), String(program.end_date));
    const [summaryRow] = await dashboardSql<SummarySql>(db, "quality_summary", params);
    // Categories hidden in one view of this reader are hidden in all (docs/privacy.md, rule 2).
    const everywhere = k === null || options.protectionsOff ? null : await getHiddenCategories(db, programId, options.orgId ?? null, k);
    const protectedBars = await protectedSatisfaction(db, programId, program.as_of, k, { midpoint: summaryRow.midpoint_satisfaction_mean, final: summaryRow.final_satisfaction_mean }, filters, everywhere ?? {});
    if (options.protectionsOff) protectedBars.withheldMeans.clear();
    const regularityRows = await dashboardSql<Omit<RegularityRow, "suppressed" | "partial"> & { running_pairs: number }>(db, "quality_regularity", params);
    const terminationRows = await dashboardSql<Omit<TerminationRow, "suppressed"> & { participants: number }>(db, "quality_terminations", params);
    const atRisk = individualsOrg === null ? null : await dashboardSql<AtRiskPair>(db, "quality_at_risk_pairs", { ...params, ...individualsParams(individualsOrg), limit: AT_RISK_LIST_LIMIT });

    // A histogram of fewer than k respondents, or the reasons of fewer than k people, cannot keep
    // a hidden bar three possible values (a group of 1 to 4 answers): not drawn at all; its
    // categories are still hidden in every other view (getHiddenCategories counts this view).
    const smallPhases = k === null ? [] : (["midpoint", "final"] as const).filter((phase) => {
      const n = summaryRow[`${phase}_respondents`] ?? 0;
      return n > 0 && n < k;
    });
    const satisfaction: SatisfactionRow[] = protectedBars.bars.filter((b) => !smallPhases.includes(b.phase));
    const endedPeople = terminationRows.reduce((sum, r) => sum + r.participants, 0);
    const smallTerminations = k !== null && endedPeople > 0 && endedPeople < k;
    const regularity = regularityRows.map((r): RegularityRow => {
      const hide = k !== null && r.running_pairs > 0 && r.running_pairs < k;
      const partial = r.month === partialMonth;
      return hide
        ? { month: r.month, running_pairs: null, pairs_with_meeting: null, share_with_meeting: null, suppressed: true, partial }
        : { ...r, suppressed: false, partial };
    });
    const hiddenReasons = k === null ? new Set<string>() : closeHidden(terminationRows.map((r) => ({ key: r.reason, people: r.participants })), everywhere?.reasons ?? new Set(), k);
    const terminations = smallTerminations ? [] : terminationRows.map((r): TerminationRow =>
      hiddenReasons.has(r.reason) ? { reason: r.reason, pairs: null, participants: null, suppressed: true } : { ...r, suppressed: false },
    );
    const summary = suppressSummary(summaryRow, k);
    // A mean that would give away hidden bars of the histogram beside it (docs/privacy.md).
    // …and one whose sum other views' means would give (./privacy/means.ts).
    const space = everywhere ? await getQuerySpace(db, programId, options.orgId ?? null, k!) : null;
    if (everywhere && space) for (const phase of ["midpoint", "final"] as const) if (everywhere.withheldMeans.has(meanKey(space, filters, phase))) protectedBars.withheldMeans.add(phase);
    for (const phase of protectedBars.withheldMeans) {
      const field = phase === "midpoint" ? "midpoint_satisfaction_mean" : "final_satisfaction_mean";
      if (summary[field] !== null) {
        summary[field] = null;
        summary.suppressed_fields.push(field);
      }
    }
    return { as_of: program.as_of, summary, satisfaction, regularity, terminations, withheld: { satisfaction: [...smallPhases], terminations: smallTerminations }, atRisk };
  });
}
