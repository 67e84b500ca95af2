import type { Signed } from "../auth/request.server.ts";
import { audienceFor, type Scope } from "../auth/scope.server.ts";
import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { DEFAULT_K } from "../metrics/suppression.ts";
import { pageError } from "../domain/page-errors.ts";
import type { Audience } from "../domain/roles.ts";
import type { ProgramIdentity } from "../domain/program.ts";
import { getAppDb } from "../db/app-db.server.ts";
import { controlFilters, programTooSmall } from "../privacy/query-space.ts";
import { data } from "@remix-run/node";
import { getQuerySpace } from "../privacy/query-space.server.ts";
import { parseFilters, type FilterNotice, type Filters } from "../domain/filters.ts";

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
  /** The reader's organization (every audience but admin): the others are one group, "others". */
  orgId: string | null;
  filters: Filters;
  notices: FilterNotice[];
}

/**
 * The context of a dashboard request about `programId`. For a protected audience (every role
 * but admin) the filters go through the program's query space (docs/privacy.md): only its own
 * organization, periods widened to whole blocks, combinations that would isolate fewer than k
 * people refused — each with a notice saying why.
 */
/** `format`: how a refusal is answered — a page's error (default) or an API's JSON body. */
export async function dashboardContext(signed: Signed, request: Request, programId: string, format: "page" | "json" = "page"): Promise<DashboardContext> {
  const scope = signed.scope;
  const audience = audienceFor(scope) as Audience;
  const parsed = parseFilters(new URL(request.url).searchParams);
  const k = audience === "admin" ? null : DEFAULT_K;
  let { filters, notices } = parsed;
  if (k === null && filters.org !== null) {
    // An organization that takes no part in the program would empty every page without a word.
    // (For the other audiences any organization but their own is refused below, as outside
    // their scope: telling "unknown" apart would say which organizations take part.)
    const orgs = await (await getAppDb()).all<{ org_id: string }>(loadSql("dashboards/filter_orgs"), { program_id: programId, own_org_only: false, org_id: null });
    if (!orgs.some((o) => o.org_id === filters.org)) {
      notices = [...notices, { name: "org", value: filters.org.slice(0, 40), reason: "unknown" }];
      filters = { ...filters, org: null };
    }
  }
  if (k !== null) {
    const space = await getQuerySpace(await getAppDb(), programId, scope.orgId, k);
    if (space && programTooSmall(space)) {
      // Every figure of the program would be about fewer than k people (docs/privacy.md).
      const message = `This program has fewer than ${k} participants: its figures are shown to the operators only.`;
      throw format === "json"
        ? Response.json({ error: "forbidden", message }, { status: 403, headers: { "Cache-Control": "no-store" } })
        : data(pageError("program_too_small", { k }), { status: 403 });
    }
    if (space) {
      const controlled = controlFilters(space, filters);
      filters = controlled.filters;
      notices = [...notices, ...controlled.notices];
    }
  }
  return {
    scope,
    audience,
    k,
    orgId: audience === "admin" ? null : scope.orgId,
    filters,
    notices,
  };
}

/** `getProgramReport` options for this context: the same audience as the JSON endpoint. */
export function reportOptions(ctx: DashboardContext) {
  return { audience: ctx.audience, orgId: ctx.orgId, k: ctx.k ?? DEFAULT_K };
}

export interface FilterOptions {
  cohorts: string[];
  orgs: { org_id: string; name: string }[];
}

/**
 * The program's header and the filter choices the scope may see (a protected audience: its own
 * organization only, and the first month of each period block); pages.server.ts caches it.
 */
export async function getProgramHeader(db: Db, programId: string, scope: Scope): Promise<{ program: ProgramIdentity; options: FilterOptions } | null> {
  const [program] = await db.all<ProgramIdentity>(loadSql("queries/report_program"), { program_id: programId, as_of: null });
  if (!program) return null;
  let cohorts = (await db.all<{ cohort: string }>(loadSql("dashboards/filter_cohorts"), { program_id: programId })).map((c) => c.cohort);
  const orgs = await db.all<{ org_id: string; name: string }>(loadSql("dashboards/filter_orgs"), {
    program_id: programId,
    own_org_only: scope.role !== "admin",
    org_id: scope.orgId,
  });
  if (scope.role !== "admin") {
    const space = await getQuerySpace(db, programId, scope.orgId, DEFAULT_K);
    if (space) cohorts = space.blocks.map((b) => b.months[0]).filter((m) => cohorts.includes(m));
  }
  return { program, options: { cohorts, orgs } };
}
