import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import type { Audience, Role } from "../domain/roles.ts";
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

export function scopeOf(user: SessionUser): Scope {
  return { userId: user.userId, role: user.role, orgId: user.role === "admin" ? null : user.orgId };
}

/**
 * Named parameters for SQL that filters by scope: `$is_admin`, `$org_id`. `$is_admin` alone
 * grants every program; `$org_id` is only ever compared with `=`, so a non-admin without an
 * organization (null) matches no row and sees nothing — no sentinel value stands for "none".
 */
export function scopeParams(scope: Scope): { is_admin: boolean; org_id: string | null } {
  const isAdmin = scope.role === "admin";
  return { is_admin: isAdmin, org_id: isAdmin ? null : scope.orgId };
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

/**
 * Whose individuals (participant ids, individual pairs) a reader may see: every organization's,
 * or one organization's. "Every organization" is a kind of its own, never a value an org_id
 * could also take (an organization once imported with the id `*` saw everyone: issue 11 (f)).
 */
export type IndividualsScope = { readonly kind: "all" } | { readonly kind: "org"; readonly orgId: string };

/** Whose individuals the scope may see: all (admin), its own organization's (hr), or null for none. */
export function individualsOrg(scope: Scope): IndividualsScope | null {
  if (scope.role === "admin") return { kind: "all" };
  return scope.role === "hr" && scope.orgId !== null ? { kind: "org", orgId: scope.orgId } : null;
}

/**
 * Named parameters for SQL that shows individuals: `$individuals_all` (a boolean: every
 * organization) and `$individuals_org` (the one organization otherwise, compared with `=` only;
 * null with `$individuals_all`).
 */
export function individualsParams(who: IndividualsScope): { individuals_all: boolean; individuals_org: string | null } {
  return who.kind === "all" ? { individuals_all: true, individuals_org: null } : { individuals_all: false, individuals_org: who.orgId };
}

/** Whether a reader with these rights may see the individuals of that organization. */
export function mayIdentify(who: IndividualsScope, orgId: string): boolean {
  return who.kind === "all" || orgId === who.orgId;
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
