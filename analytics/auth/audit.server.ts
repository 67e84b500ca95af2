import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import type { Scope } from "./scope.server.ts";

/**
 * The audited actions: personal data seen at the individual level, data leaving the app, and
 * changes to who may see it.
 */
export type AuditAction =
  | "view_individuals"
  | "download_export"
  | "manage_users"
  | "import_data"
  | "delete_program"
  | "undo_program"
  | "erase_participant"
  | "export_participant"
  | "backup_database"
  /** The start-up migration renamed an organization id that broke the identifier rule (decision 0014). */
  | "rename_organization"
  | "rebuild_database"
  /** The operator set (or cleared) a program's cost per voluntary departure (issue 13: the impact's money figures). */
  | "set_cost_per_departure"
  /** An operator ran the intruder audit of a program (docs/privacy.md). */
  | "privacy_audit"
  /** An operator saved or deleted a mapping preset (issue #17). */
  | "manage_mapping_presets";

export interface AuditDetails {
  programId?: string | null;
  /** Anything that says what was seen or downloaded: page, filters, format, row count. */
  [key: string]: unknown;
}

export interface AuditEntry {
  logged_at: string;
  user_id: string;
  username: string | null;
  role: string;
  org_id: string | null;
  action: AuditAction;
  program_id: string | null;
  details: string;
}

/**
 * Appends one entry to the audit log: who (from the scope, never from the request), what, when.
 * Call it in the loader or resource route before the data leaves the server.
 */
export async function recordAudit(
  db: Db,
  scope: Scope,
  action: AuditAction,
  details: AuditDetails = {},
  now: number = Date.now(),
): Promise<void> {
  const { programId = null, ...rest } = details;
  await db.run(loadSql("auth/audit_insert"), {
    now,
    user_id: scope.userId,
    role: scope.role,
    org_id: scope.orgId,
    action,
    program_id: programId,
    details: JSON.stringify(rest),
  });
}

/** The most recent audit entries, newest first. */
export async function listAudit(db: Db, limit = 100): Promise<AuditEntry[]> {
  return db.all<AuditEntry>(loadSql("auth/audit_list"), { limit });
}
