import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import type { ProgramIdentity } from "../domain/program.ts";
import { scopeParams, type Scope } from "../auth/scope.server.ts";

/** A program of the list: its identity (without as_of) and its size. */
export interface ProgramSummary extends Omit<ProgramIdentity, "as_of"> {
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
