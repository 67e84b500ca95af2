/**
 * Prepares what a program's pages read first, before its first visitor asks (after an import,
 * at start-up, after a rebuild): the materialized marts, then the impact counts of the default
 * horizon (reading the workforce takes about a second at 2,000,000 people).
 */
import type { Db } from "../db/database.server.ts";
import { warmProgramImpact } from "./impact.server.ts";
import { warmProgramMarts } from "./schema.server.ts";

export async function warmProgram(db: Db, programId: string): Promise<void> {
  await warmProgramMarts(db, programId);
  await warmProgramImpact(db, programId);
}
