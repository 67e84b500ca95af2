/**
 * The cost page: per participant, per matched mentee, per completed pair, per acquired topic;
 * by category and paying organization; over time; against the 600–3,600 € market band.
 * SQL in `sql/dashboards/costs_*.sql`; unfiltered, the summary equals the report's `costs`.
 * Cost lines are not attributed to people, so only the organization and date filters apply
 * (`applied_filters` says which were used).
 */
import { NO_ORGANIZATION } from "../domain/identifiers.ts";
import type { Db } from "../db/database.server.ts";
import { withPage, type PageMeta, type PageOptions, type PageQuery } from "./page-query.server.ts";
import { suppressRows, type Suppressed } from "./page-suppression.ts";

/** How many organizations of the program other than the reader's take part or pay (none: every one). */
async function otherOrganizations(q: PageQuery, orgId: string | null): Promise<number> {
  const [row] = await q.all<{ other_organizations: number }>("other_organizations", { org_id: orgId ?? NO_ORGANIZATION });
  return row?.other_organizations ?? 0;
}

export interface CostsSummary {
  currency: string;
  costs_total: number | null;
  cost_lines: number;
  participants: number;
  matched_mentees: number;
  pairs_completed: number;
  topics_acquired: number;
  cost_per_participant: number | null;
  cost_per_matched_mentee: number | null;
  cost_per_completed_pair: number | null;
  cost_per_acquired_topic: number | null;
  market_band_per_mentee: { low: number; high: number } | null;
}

export interface CostCategoryRow {
  cost_category: string;
  amount: number;
  cost_lines: number;
  share: number | null;
}

export interface CostMonthRow {
  month: string;
  cost_category: string;
  amount: number;
}

export interface CostOrganizationRow {
  group_key: string;
  org_name: string | null;
  amount: number | null;
  participants: number | null;
  matched_mentees: number | null;
  cost_per_participant: number | null;
  cost_per_matched_mentee: number | null;
}

export interface CostsPage extends PageMeta {
  summary: CostsSummary;
  /** The filters that apply to costs (organization, dates); the others are ignored here. */
  applied_filters: ("org" | "from" | "to")[];
  ignored_filters: ("cohort" | "generation" | "role")[];
  by_category: CostCategoryRow[];
  by_month: CostMonthRow[];
  by_organization: Suppressed<CostOrganizationRow>[];
  /**
   * "two_organizations": the reader's program has one other organization, whose money would be
   * the program's minus the reader's: program-wide money is hidden (docs/privacy.md). null: shown.
   */
  money_hidden: "two_organizations" | null;
}

/** The page's data, or null when the program does not exist (pages.server.ts caches it for the routes). */
export async function getCostsPage(db: Db, programId: string, options: PageOptions = {}): Promise<CostsPage | null> {
  return withPage(db, programId, options, async (q) => {
    // Every protected audience sees its own organization and "others" (docs/privacy.md).
    const sponsorOrg = q.meta.audience === "admin" ? null : (options.orgId ?? NO_ORGANIZATION);
    const [s] = await q.all<Omit<CostsSummary, "market_band_per_mentee"> & { market_band_low_per_mentee: number | null; market_band_high_per_mentee: number | null }>(
      "costs_summary",
    );
    const byCategory = await q.all<CostCategoryRow>("costs_by_category");
    const byMonth = await q.all<CostMonthRow>("costs_by_month");
    const byOrg = await q.all<CostOrganizationRow>("costs_by_organization", { sponsor_org_id: sponsorOrg });
    const f = q.meta.filters;
    const { market_band_low_per_mentee: low, market_band_high_per_mentee: high, ...summary } = s;
    // An organization's amount is not about people, but its per-person figures are: rows of
    // fewer than k participants are hidden like the report's organization rows.
    let byOrganization = suppressRows(byOrg, q.meta.k, (r) => r.group_key, {
      people: (r) => (r.group_key === "unattributed" ? Number.MAX_SAFE_INTEGER : (r.participants ?? 0)),
      figures: { cost_per_matched_mentee: (r) => (r.group_key === "unattributed" ? Number.MAX_SAFE_INTEGER : (r.matched_mentees ?? 0)) },
      keep: ["group_key", "org_name"],
    });
    const moneyHidden = q.meta.audience !== "admin" && f.f_org === null && (await otherOrganizations(q, options.orgId ?? null)) === 1;
    if (!moneyHidden) {
      return {
        ...q.meta,
        summary: { ...summary, market_band_per_mentee: low === null || high === null ? null : { low, high } },
        applied_filters: (["org", "from", "to"] as const).filter((name) => f[`f_${name}`] !== null),
        ignored_filters: (["cohort", "generation", "role"] as const).filter((name) => f[`f_${name}`] !== null),
        by_category: byCategory,
        by_month: byMonth,
        by_organization: byOrganization,
        money_hidden: null,
      };
    }
    // One other organization: only the reader's own money is shown; the program's and the
    // other's would each give the other away.
    const MONEY = ["amount", "cost_per_participant", "cost_per_matched_mentee"] as const;
    byOrganization = byOrganization.map((r) =>
      r.group_key === options.orgId ? r : { ...r, ...Object.fromEntries(MONEY.map((m) => [m, null])), suppressed: true, suppressed_fields: [...new Set([...r.suppressed_fields, ...MONEY])] },
    );
    return {
      ...q.meta,
      summary: {
        ...summary,
        costs_total: null,
        cost_per_participant: null,
        cost_per_matched_mentee: null,
        cost_per_completed_pair: null,
        cost_per_acquired_topic: null,
        market_band_per_mentee: low === null || high === null ? null : { low, high },
      },
      applied_filters: (["org", "from", "to"] as const).filter((name) => f[`f_${name}`] !== null),
      ignored_filters: (["cohort", "generation", "role"] as const).filter((name) => f[`f_${name}`] !== null),
      by_category: [],
      by_month: [],
      by_organization: byOrganization,
      money_hidden: "two_organizations",
    };
  });
}
