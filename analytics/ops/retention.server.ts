/** Retention: each program is kept a number of months after its end date, then purged (`purgeExpired`, programs.server.ts). */
import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { inTransaction } from "../db/transaction.server.ts";

export const DEFAULT_RETENTION_MONTHS = 24;

/** `BINOME_RETENTION_MONTHS` when it is a positive integer, else 24. */
export function defaultRetentionMonths(env: Record<string, string | undefined> = process.env): number {
  const value = Number(env.BINOME_RETENTION_MONTHS);
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_RETENTION_MONTHS;
}

export interface RetentionRow {
  program_id: string;
  name: string;
  end_date: string;
  retention_months: number;
  is_custom: boolean;
  purge_after: string;
  is_due: boolean;
}

export interface RetentionOptions {
  /** ISO date; default today (UTC). */
  today?: string;
  defaultMonths?: number;
}

export async function listRetention(db: Db, options: RetentionOptions = {}): Promise<RetentionRow[]> {
  return db.all<RetentionRow>(loadSql("ops/retention_list"), {
    default_months: options.defaultMonths ?? defaultRetentionMonths(),
    today: options.today ?? new Date().toISOString().slice(0, 10),
  });
}

/** Sets a program's own retention period (months after its end date); null returns it to the default. */
export async function setRetention(db: Db, programId: string, months: number | null): Promise<void> {
  if (months !== null && (!Number.isInteger(months) || months < 0 || months > 1200)) throw new RangeError(`invalid retention: ${months} (whole months, 0–1200)`);
  await inTransaction(db, async () => {
    await db.run("delete from program_retention where program_id = $program_id", { program_id: programId });
    if (months !== null) await db.run("insert into program_retention values ($program_id, $months)", { program_id: programId, months });
  });
}
