/**
 * The organization identifier rule, one definition for the import (analytics/ingest/spec.ts),
 * user accounts (analytics/auth/users.server.ts), the URL filters (analytics/domain/filters.ts)
 * and the migration that repairs older files (analytics/db/migrate.server.ts): 1 to 64
 * characters, ASCII letters, digits and `_ . : -`, starting with a letter or digit. So an
 * org_id is never blank, never holds a space or a control character, and never spells a
 * wildcard such as `*` (docs/decisions/0014-organization-identifiers.md).
 */

/** The rule as a regular expression body, valid both in JavaScript and in DuckDB (RE2). */
export const ORG_ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}";

const ORG_ID = new RegExp(`^${ORG_ID_PATTERN}$`);

/** The rule in words, for error messages. */
export const ORG_ID_RULE = "1 to 64 letters, digits or _ . : - starting with a letter or digit";

export function isOrgId(value: string): boolean {
  return ORG_ID.test(value);
}

/**
 * The organization of a reader who has none, for SQL that groups every organization but the
 * reader's as "others": it breaks the identifier rule (a NUL), so no stored org_id equals it
 * and every organization falls in "others". Never a scope: it widens nothing.
 */
export const NO_ORGANIZATION = "\u0000none";
