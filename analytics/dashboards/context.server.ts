import type { Signed } from "../auth/request.server.ts";
import { audienceFor, type Scope } from "../auth/scope.server.ts";
import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { DEFAULT_K } from "../metrics/suppression.ts";
import type { Audience } from "../metrics/report.server.ts";
import { cachedByDataVersion } from "./cache.server.ts";
import { parseFilters, type FilterNotice, type Filters } from "./filters.ts";

/**
 * What every dashboard loader derives from the session and the URL before calling its page
 * function: the audience and suppression threshold (null for admin: nothing hidden), the
 * sponsor's organization, and the validated filters with notices for the dropped ones.
 */
export interface DashboardContext {
  scope: Scope;
  audience: Audience;
  /** Suppression threshold; null for the admin audience. */
  k: number | null;
  /** The organization for `getProgramReport`'s `orgId` (sponsor only). */
  orgId: string | null;
  filters: Filters;
  notices: FilterNotice[];
}

export function dashboardContext(signed: Signed, request: Request): DashboardContext {
  const scope = signed.scope;
  const audience = audienceFor(scope) as Audience;
  const { filters, notices } = parseFilters(new URL(request.url).searchParams);
  // A sponsor sees its own organization and "others": filtering on another one is refused.
  if (audience === "sponsor" && filters.org !== null && filters.org !== scope.orgId) {
    notices.push({ name: "org", value: filters.org, reason: "scope" });
    filters.org = null;
  }
  return {
    scope,
    audience,
    k: audience === "admin" ? null : DEFAULT_K,
    orgId: audience === "sponsor" ? scope.orgId : null,
    filters,
    notices,
  };
}

/** `getProgramReport` options for this context: the same audience as the JSON endpoint. */
export function reportOptions(ctx: DashboardContext) {
  return { audience: ctx.audience, orgId: ctx.orgId, k: ctx.k ?? DEFAULT_K };
}

export interface ProgramHeader {
  program_id: string;
  name: string;
  kind: "intra" | "inter";
  start_date: string;
  end_date: string;
  currency: string;
  as_of: string;
}

export interface FilterOptions {
  cohorts: string[];
  orgs: { org_id: string; name: string }[];
}

/** The program's header and the filter choices the scope may see (a sponsor: its own org only); cached until the data changes. */
export function getProgramHeader(db: Db, programId: string, scope: Scope): Promise<{ program: ProgramHeader; options: FilterOptions } | null> {
  return cachedByDataVersion(db, programId, ["header", scope.role === "sponsor" ? { sponsorOf: scope.orgId } : "all"], () => computeProgramHeader(db, programId, scope));
}

async function computeProgramHeader(db: Db, programId: string, scope: Scope): Promise<{ program: ProgramHeader; options: FilterOptions } | null> {
  const [program] = await db.all<ProgramHeader>(loadSql("dashboards/program_header"), { program_id: programId });
  if (!program) return null;
  const cohorts = await db.all<{ cohort: string }>(loadSql("dashboards/filter_cohorts"), { program_id: programId });
  const orgs = await db.all<{ org_id: string; name: string }>(loadSql("dashboards/filter_orgs"), {
    program_id: programId,
    own_org_only: scope.role === "sponsor",
    org_id: scope.orgId,
  });
  return { program, options: { cohorts: cohorts.map((c) => c.cohort), orgs } };
}

/**
 * A figure computed from `people` distinct people: null (hidden) for a non-admin audience when
 * 1 ≤ people < k — the report's rule for means and rates (analytics/metrics/suppression.ts).
 */
export function hideSmall(value: number | null, people: number, k: number | null): number | null {
  if (value === null || k === null) return value;
  return people > 0 && people < k ? null : value;
}
