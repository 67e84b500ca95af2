import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { scopeParams, type Scope } from "../auth/scope.server.ts";

export type ProgramKind = "intra" | "inter";

export interface ProgramSummary {
  program_id: string;
  name: string;
  kind: ProgramKind;
  start_date: string;
  end_date: string;
  currency: string;
  participants: number;
  pairs: number;
}

/**
 * The programs the scope may see (admin: all; others: those their organization takes part in)
 * with their kind, dates and size, newest first.
 */
export async function listPrograms(db: Db, scope: Scope): Promise<ProgramSummary[]> {
  return db.all<ProgramSummary>(loadSql("queries/program_list"), scopeParams(scope));
}
