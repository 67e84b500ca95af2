import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import type { Role } from "./roles.ts";
import type { SessionUser } from "./session.server.ts";

/**
 * What a signed-in user may see. Every loader, action and resource route derives it from the
 * session (never from the URL) and passes it to the analytics functions, whose SQL takes it as
 * parameters (`scopeParams`).
 */
export interface Scope {
  readonly userId: string;
  readonly role: Role;
  /** The user's organization; null for admin (the operator sees every organization). */
  readonly orgId: string | null;
}

/** The report audience of the metrics issue: which suppression and grouping apply. */
export type Audience = Role;

export function scopeOf(user: SessionUser): Scope {
  return { userId: user.userId, role: user.role, orgId: user.role === "admin" ? null : user.orgId };
}

/** Named parameters for SQL that filters by scope: `$is_admin`, `$org_id`. */
export function scopeParams(scope: Scope): { is_admin: boolean; org_id: string | null } {
  const isAdmin = scope.role === "admin";
  // A non-admin without an organization sees nothing: an org id that matches no row.
  return { is_admin: isAdmin, org_id: isAdmin ? null : (scope.orgId ?? "\u0000none") };
}

export function isAdmin(scope: Scope): boolean {
  return scope.role === "admin";
}

export function audienceFor(scope: Scope): Audience {
  return scope.role;
}

/** Whether the role may see individual-level rows at all (admin: everyone; hr: own org). */
export function canSeeIndividuals(scope: Scope): boolean {
  return scope.role === "admin" || scope.role === "hr";
}

/** Whether the scope may see the individuals (participant ids, at-risk pairs…) of that organization. */
export function canSeeIndividualsOf(scope: Scope, orgId: string): boolean {
  if (scope.role === "admin") return true;
  return scope.role === "hr" && scope.orgId !== null && scope.orgId === orgId;
}

/** The organization whose individuals the scope may see, `"*"` for all, or null for none. */
export function individualsOrg(scope: Scope): string | null {
  if (scope.role === "admin") return "*";
  return scope.role === "hr" ? scope.orgId : null;
}

/**
 * Per-object check: whether the program exists and the scope may see it. Admin: every program;
 * hr, rse, sponsor: the programs their organization takes part in (has participants in).
 */
export async function canViewProgram(db: Db, scope: Scope, programId: string): Promise<boolean> {
  const [row] = await db.all<{ visible: boolean }>(loadSql("auth/program_visible"), {
    program_id: programId,
    ...scopeParams(scope),
  });
  return row?.visible === true;
}

/** Whether the scope may manage users, import data, see everything: the operator. */
export function canAdminister(scope: Scope): boolean {
  return scope.role === "admin";
}
