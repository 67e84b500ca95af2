import { AUDIENCES, type Audience } from "../domain/roles.ts";
import { NO_ORGANIZATION } from "../domain/identifiers.ts";
import type { ProgramIdentity } from "../domain/program.ts";
import type { Db } from "../db/database.server.ts";
import { GENERATION_KEYS, generationLabel, type GenerationKey } from "../domain/generations.ts";
import { runQuery } from "../metrics/queries.server.ts";
import { protectedSatisfaction } from "../privacy/linked.server.ts";
import { getHiddenCategories, meanKey, reportMeanKey } from "../privacy/consistent.server.ts";
import { getQuerySpace } from "../privacy/query-space.server.ts";
import { NO_FILTERS } from "../domain/filters.ts";
import { withProgramMarts } from "../metrics/schema.server.ts";
import { DEFAULT_K, MIN_K, suppressBreakdown, type BreakdownRow, type GroupFigures } from "../metrics/suppression.ts";
import { getProgramImpact, validateImpactRequest, type ImpactRequest } from "../metrics/impact.server.ts";
import type { ImpactFigures } from "../impact/estimate.ts";

export { DEFAULT_K, MIN_K, type BreakdownRow } from "../metrics/suppression.ts";

export const REPORT_SCHEMA_VERSION = 1;

export { AUDIENCES, type Audience } from "../domain/roles.ts";

export interface ReportOptions {
  /** Who reads the report; every audience but `admin` gets small-cell suppression. Default admin. */
  audience?: Audience;
  /**
   * The reader's organization (required for a sponsor): for every audience but admin the other
   * organizations are one group, "others"; without one, every organization is (docs/privacy.md).
   */
  orgId?: string | null;
  /** Suppression threshold, an integer ≥ 3 (default 5). */
  k?: number;
  /** ISO date `YYYY-MM-DD`; default: the earlier of today and the program's end date. */
  asOf?: string | null;
  /**
   * The impact figures (issue 13: horizon, cost per departure). They run a bootstrap, so they
   * are computed only when asked (the CLI, the JSON report, the Impact page); `impact` is null
   * otherwise.
   */
  impact?: ImpactRequest | null;
}

/** The report: a contract (docs/metrics.md). Every key is always present; null = not computable or hidden. */
export interface ProgramReport {
  schema_version: 1;
  program: {
    program_id: string;
    name: string;
    kind: string;
    start_date: string;
    end_date: string;
    currency: string;
  };
  audience: Audience;
  org_id: string | null;
  /** The suppression threshold applied; null for `admin` (nothing suppressed). */
  k: number | null;
  as_of: string;
  participants: {
    total: number;
    mentors: number;
    mentees: number;
    matched_mentees: number;
    organizations: number;
  };
  pairs: {
    total: number;
    active: number;
    completed: number;
    ended_early: number;
    reverse: number;
    match_rate: number | null;
  };
  quality: {
    midpoint_satisfaction_mean: number | null;
    final_satisfaction_mean: number | null;
    midpoint_response_rate: number | null;
    midpoint_flagged_pairs: number;
    at_risk_pairs: number;
    meeting_regularity: number | null;
    early_termination_rate: number | null;
  };
  topics: {
    targeted: number;
    acquired: number;
    completion_rate: number | null;
    median_days_to_acquire: number | null;
  };
  generations: {
    participants_by_generation: Record<GenerationKey, number | null>;
    cross_generation_pair_rate: number | null;
    median_age_gap_years: number | null;
    outside_core_share: number | null;
  };
  costs: {
    total: number | null;
    per_participant: number | null;
    per_matched_mentee: number | null;
    per_completed_pair: number | null;
    per_acquired_topic: number | null;
    market_band_per_mentee: { low: number; high: number } | null;
  };
  breakdowns: {
    by_organization: BreakdownRow[];
    by_generation: BreakdownRow[];
    by_gender: BreakdownRow[];
    /** Extra (not in schema_version 1's list): by role, by intake cohort (month of first matched_at). */
    by_role: BreakdownRow[];
    by_cohort: BreakdownRow[];
    /** Extra: by calendar month of the program up to as_of (rows overlap: people active in several months). */
    by_month: BreakdownRow[];
  };
  /** Extra (issue 13, docs/metrics.md "Impact"): retention and promotion against a reweighted comparison group; null when not asked for. */
  impact: ImpactFigures | null;
}

interface SummaryRow {
  participants_total: number;
  mentors: number;
  mentees: number;
  matched_mentees: number;
  organizations: number;
  participants_boomers: number;
  participants_gen_x: number;
  participants_millennials: number;
  participants_gen_z: number;
  outside_core_share: number | null;
  pairs_total: number;
  pairs_active: number;
  pairs_completed: number;
  pairs_ended_early: number;
  pairs_reverse: number;
  match_rate: number | null;
  midpoint_flagged_pairs: number;
  at_risk_pairs: number;
  meeting_regularity: number | null;
  early_termination_rate: number | null;
  midpoint_response_rate: number | null;
  cross_generation_pair_rate: number | null;
  median_age_gap_years: number | null;
  midpoint_satisfaction_mean: number | null;
  final_satisfaction_mean: number | null;
  topics_targeted: number;
  topics_acquired: number;
  completion_rate: number | null;
  median_days_to_acquire: number | null;
  costs_total: number | null;
  cost_per_participant: number | null;
  cost_per_matched_mentee: number | null;
  cost_per_completed_pair: number | null;
  cost_per_acquired_topic: number | null;
  market_band_low_per_mentee: number | null;
  market_band_high_per_mentee: number | null;
}

interface BreakdownSqlRow {
  dimension: "organization" | "generation" | "gender" | "role" | "cohort" | "month";
  group_key: string;
  label: string | null;
  participants: number;
  pairs: number;
  midpoint_satisfaction_mean: number | null;
  midpoint_respondents: number;
  completion_rate: number | null;
  completion_mentees: number;
}

const GENDER_LABELS: Record<string, string> = { F: "F", M: "M", X: "X", unknown: "Not stated" };
const ROLE_LABELS: Record<string, string> = { mentor: "Mentors", mentee: "Mentees" };

function labelOf(row: BreakdownSqlRow): string | null {
  switch (row.dimension) {
    case "organization":
      return row.label;
    case "generation":
      return (GENERATION_KEYS as readonly string[]).includes(row.group_key)
        ? generationLabel(row.group_key as GenerationKey)
        : row.group_key;
    case "gender":
      return GENDER_LABELS[row.group_key] ?? row.group_key;
    case "role":
      return ROLE_LABELS[row.group_key] ?? row.group_key;
    case "cohort":
      return row.group_key === "unmatched" ? "Not matched" : `Matched in ${row.group_key}`;
    case "month":
      return `Month ${row.group_key}`;
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks report options; throws a RangeError naming the bad value. */
export function validateReportOptions(options: ReportOptions): Required<Omit<ReportOptions, "orgId" | "asOf" | "impact">> & {
  orgId: string | null;
  asOf: string | null;
  impact: ImpactRequest | null;
} {
  const audience = options.audience ?? "admin";
  if (!AUDIENCES.includes(audience)) throw new RangeError(`invalid audience: ${JSON.stringify(audience)}`);
  const k = options.k ?? DEFAULT_K;
  if (!Number.isInteger(k) || k < MIN_K) throw new RangeError(`invalid k: ${JSON.stringify(k)} (an integer ≥ ${MIN_K})`);
  const orgId = options.orgId ?? null;
  if (audience === "sponsor" && !orgId) throw new RangeError("the sponsor audience needs an organization (orgId)");
  const asOf = options.asOf ?? null;
  if (asOf !== null && (!ISO_DATE.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)) ||
      new Date(`${asOf}T00:00:00Z`).toISOString().slice(0, 10) !== asOf)) {
    throw new RangeError(`invalid as-of date: ${JSON.stringify(asOf)} (YYYY-MM-DD)`);
  }
  const impact = options.impact ? validateImpactRequest(options.impact) : null;
  return { audience, k, orgId: audience === "admin" ? null : orgId, asOf, impact };
}

/**
 * The program report (docs/metrics.md), or null when the program does not exist. Figures
 * come from `sql/queries/report_*.sql`; this function only assembles and suppresses.
 */
export async function getProgramReport(db: Db, programId: string, options: ReportOptions = {}): Promise<ProgramReport | null> {
  const { audience, k, orgId, asOf, impact: impactRequest } = validateReportOptions(options);
  const rows = await withProgramMarts(db, programId, async () => {
    const [program] = await runQuery<ProgramIdentity>(db, "queries/report_program", { program_id: programId, as_of: asOf });
    if (!program) return null;
    const [summary] = await runQuery<SummaryRow>(db, "queries/report_summary", {
      program_id: programId,
      as_of: program.as_of,
    });
    const groups = await runQuery<BreakdownSqlRow>(db, "queries/report_breakdowns", {
      program_id: programId,
      sponsor_org_id: audience === "admin" ? null : (orgId ?? NO_ORGANIZATION),
    });
    const months = await runQuery<Omit<BreakdownSqlRow, "dimension" | "label">>(db, "queries/report_by_month", {
      program_id: programId,
      as_of: program.as_of,
    });
    // The means are published next to the quality page's histogram of the same answers, and
    // withheld where other views' means would give a withheld one (analytics/privacy/means.ts).
    const everywhere = audience === "admin" ? null : await getHiddenCategories(db, programId, orgId, k);
    const space = everywhere ? await getQuerySpace(db, programId, orgId, k) : null;
    const satisfaction = await protectedSatisfaction(
      db,
      programId,
      program.as_of,
      audience === "admin" ? null : k,
      { midpoint: summary.midpoint_satisfaction_mean, final: summary.final_satisfaction_mean },
      undefined,
      everywhere ?? {},
    );
    if (everywhere && space) for (const phase of ["midpoint", "final"] as const) if (everywhere.withheldMeans.has(meanKey(space, NO_FILTERS, phase))) satisfaction.withheldMeans.add(phase);
    const [others] =
      audience === "admin" ? [null] : await runQuery<{ other_organizations: number }>(db, "dashboards/other_organizations", { program_id: programId, org_id: orgId ?? NO_ORGANIZATION });
    // One other organization: the program's money minus the reader's would be that company's.
    const moneyHidden = others !== null && others.other_organizations === 1;
    return { program, summary, satisfaction, moneyHidden, withheldMeans: everywhere?.withheldMeans ?? new Set<string>(), groups: [...groups, ...months.map((m) => ({ ...m, dimension: "month" as const, label: null }))] };
  });
  if (!rows) return null;
  const { program, summary: s, groups, satisfaction, moneyHidden, withheldMeans } = rows;

  const threshold = audience === "admin" ? null : k;
  const impact = impactRequest
    ? await getProgramImpact(db, programId, impactRequest, { k: threshold, orgId, programCost: s.costs_total, moneyHidden })
    : null;
  const breakdown = (dimension: BreakdownSqlRow["dimension"]): BreakdownRow[] =>
    withholdMeans(dimension, suppressBreakdown(
      groups
        .filter((g) => g.dimension === dimension)
        .map((g): GroupFigures => ({
          group: g.group_key,
          label: labelOf(g),
          participants: g.participants,
          pairs: g.pairs,
          midpoint_satisfaction_mean: g.midpoint_satisfaction_mean,
          midpoint_respondents: g.midpoint_respondents,
          completion_rate: g.completion_rate,
          completion_mentees: g.completion_mentees,
        })),
      threshold,
    ));
  const withholdMeans = (dimension: string, rows: BreakdownRow[]): BreakdownRow[] =>
    rows.map((row) =>
      row.midpoint_satisfaction_mean !== null && withheldMeans.has(reportMeanKey(dimension, row.group))
        ? { ...row, midpoint_satisfaction_mean: null, suppressed_fields: [...row.suppressed_fields, "midpoint_satisfaction_mean"] }
        : row,
    );
  const byGeneration = breakdown("generation");
  const generationCount = (key: GenerationKey, count: number): number | null =>
    byGeneration.find((row) => row.group === key)?.suppressed ? null : count;

  return {
    schema_version: REPORT_SCHEMA_VERSION,
    program: {
      program_id: program.program_id,
      name: program.name,
      kind: program.kind,
      start_date: program.start_date,
      end_date: program.end_date,
      currency: program.currency,
    },
    audience,
    org_id: orgId,
    k: threshold,
    as_of: program.as_of,
    participants: {
      total: s.participants_total,
      mentors: s.mentors,
      mentees: s.mentees,
      matched_mentees: s.matched_mentees,
      organizations: s.organizations,
    },
    pairs: {
      total: s.pairs_total,
      active: s.pairs_active,
      completed: s.pairs_completed,
      ended_early: s.pairs_ended_early,
      reverse: s.pairs_reverse,
      match_rate: s.match_rate,
    },
    quality: {
      midpoint_satisfaction_mean: satisfaction.withheldMeans.has("midpoint") ? null : s.midpoint_satisfaction_mean,
      final_satisfaction_mean: satisfaction.withheldMeans.has("final") ? null : s.final_satisfaction_mean,
      midpoint_response_rate: s.midpoint_response_rate,
      midpoint_flagged_pairs: s.midpoint_flagged_pairs,
      at_risk_pairs: s.at_risk_pairs,
      meeting_regularity: s.meeting_regularity,
      early_termination_rate: s.early_termination_rate,
    },
    topics: {
      targeted: s.topics_targeted,
      acquired: s.topics_acquired,
      completion_rate: s.completion_rate,
      median_days_to_acquire: s.median_days_to_acquire,
    },
    generations: {
      participants_by_generation: {
        boomers: generationCount("boomers", s.participants_boomers),
        gen_x: generationCount("gen_x", s.participants_gen_x),
        millennials: generationCount("millennials", s.participants_millennials),
        gen_z: generationCount("gen_z", s.participants_gen_z),
      },
      cross_generation_pair_rate: s.cross_generation_pair_rate,
      median_age_gap_years: s.median_age_gap_years,
      outside_core_share: s.outside_core_share,
    },
    costs: {
      total: moneyHidden ? null : s.costs_total,
      per_participant: moneyHidden ? null : s.cost_per_participant,
      per_matched_mentee: moneyHidden ? null : s.cost_per_matched_mentee,
      per_completed_pair: moneyHidden ? null : s.cost_per_completed_pair,
      per_acquired_topic: moneyHidden ? null : s.cost_per_acquired_topic,
      market_band_per_mentee:
        s.market_band_low_per_mentee === null || s.market_band_high_per_mentee === null
          ? null
          : { low: s.market_band_low_per_mentee, high: s.market_band_high_per_mentee },
    },
    breakdowns: {
      by_organization: breakdown("organization"),
      by_generation: byGeneration,
      by_gender: breakdown("gender"),
      by_role: breakdown("role"),
      by_cohort: breakdown("cohort"),
      by_month: breakdown("month"),
    },
    impact,
  };
}
