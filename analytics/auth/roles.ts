/** The four roles (see docs/decisions/0005-sessions-and-roles.md). Shared by server and UI. */
export const ROLES = ["admin", "hr", "rse", "sponsor"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABEL: Record<Role, string> = {
  admin: "Administrator (operator)",
  hr: "HR",
  rse: "CSR / diversity",
  sponsor: "Sponsor",
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
