import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";

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

/** Every program in the database with its kind, dates and size, newest first. */
export async function listPrograms(db: Db): Promise<ProgramSummary[]> {
  return db.all<ProgramSummary>(loadSql("queries/program_list"));
}
