import { recordAudit, type AuditAction, type AuditDetails } from "../auth/audit.server.ts";
import type { Scope } from "../auth/scope.server.ts";
import type { Db } from "../db/database.server.ts";

/** The data operations recorded in the audit log (who imported, deleted, undid, erased, exported, backed up; the file rebuilt after an erasure). */
export type OpsAuditAction = "import_data" | "delete_program" | "undo_program" | "erase_participant" | "export_participant" | "backup_database" | "rebuild_database" | "privacy_audit" | "set_cost_per_departure";

/** Records an operation in the shared audit log. */
export async function recordOpsAudit(db: Db, scope: Scope, action: OpsAuditAction, details: AuditDetails = {}): Promise<void> {
  await recordAudit(db, scope, action satisfies AuditAction, details);
}
