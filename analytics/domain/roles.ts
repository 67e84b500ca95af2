/** The four roles (see docs/decisions/0005-sessions-and-roles.md). Shared by server and UI. */
export const ROLES = ["admin", "hr", "rse", "sponsor"] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who reads a report or a dashboard page: the reader's role, which decides the small-cell
 * suppression and the organization grouping (docs/privacy.md). The one definition, used by
 * the report, the pages and the scope.
 */
export const AUDIENCES = ROLES;
export type Audience = Role;

export const ROLE_LABEL: Record<Role, string> = {
  admin: "Administrator (operator)",
  hr: "HR",
  rse: "CSR / diversity",
  sponsor: "Sponsor",
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
