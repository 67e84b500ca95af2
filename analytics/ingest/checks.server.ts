import type { Db } from "../db/database.server.ts";
import { stagingSql } from "../db/generated-sql.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import type { TableName } from "./spec.ts";
import { TABLES, tableSpec } from "./spec.ts";
import { columnChecksSql, type StagedTable } from "./stage.server.ts";

/**
 * The checks across files, one SQL file each under sql/ingest/checks/. Each returns rows
 * (rec, column_name, message, value, first_rec) about records of `table`, and runs only when
 * every table it reads has all its required columns (otherwise it would only echo the missing
 * column on every row).
 */
interface CrossCheck {
  sql: string;
  table: TableName;
  reads: TableName[];
}

const CROSS_CHECKS: CrossCheck[] = [
  { sql: "programs_dates", table: "programs", reads: ["programs"] },
  { sql: "programs_previous", table: "programs", reads: ["programs"] },
  { sql: "organizations_unique", table: "organizations", reads: ["organizations"] },
  { sql: "organizations_name", table: "organizations", reads: ["organizations"] },
  { sql: "participants_program", table: "participants", reads: ["participants", "programs"] },
  { sql: "participants_org", table: "participants", reads: ["participants", "organizations"] },
  { sql: "participants_topics", table: "participants", reads: ["participants", "topics"] },
  { sql: "topics_program", table: "topics", reads: ["topics", "programs"] },
  { sql: "pairs_program", table: "pairs", reads: ["pairs", "programs"] },
  { sql: "pairs_people", table: "pairs", reads: ["pairs", "participants"] },
  { sql: "pairs_dates", table: "pairs", reads: ["pairs"] },
  { sql: "meetings_pair", table: "meetings", reads: ["meetings", "pairs"] },
  { sql: "meetings_unique", table: "meetings", reads: ["meetings", "pairs"] },
  { sql: "pair_topics_pair", table: "pair_topics", reads: ["pair_topics", "pairs"] },
  { sql: "pair_topics_topic", table: "pair_topics", reads: ["pair_topics", "pairs", "topics"] },
  { sql: "evaluations_pair", table: "evaluations", reads: ["evaluations", "pairs"] },
  { sql: "costs_program", table: "costs", reads: ["costs", "programs"] },
  { sql: "costs_org", table: "costs", reads: ["costs", "organizations"] },
  { sql: "costs_currency", table: "costs", reads: ["costs", "programs"] },
  { sql: "workforce_program", table: "workforce", reads: ["workforce", "programs"] },
  { sql: "workforce_org", table: "workforce", reads: ["workforce", "organizations"] },
  { sql: "workforce_dates", table: "workforce", reads: ["workforce", "programs"] },
  { sql: "workforce_leave", table: "workforce", reads: ["workforce"] },
];

export interface RowProblem {
  table: TableName;
  /** Index of the file among the table's files. */
  part: number;
  rec: number;
  column: string | null;
  message: string;
  value: string | null;
  firstRec: number | null;
  /** Problems of this file in all (the rows returned are capped). */
  total: number;
}

/**
 * Runs every check over the typed temp tables and returns, per table, at most `cap` problems
 * in record order, with the table's total.
 */
export async function runChecks(db: Db, staged: Map<TableName, StagedTable>, cap: number, onCheck?: () => void): Promise<RowProblem[]> {
  await db.run(loadSql("ingest/problems_create"));
  // Which file of its table a record comes from (an export of several folders may give a table
  // several files, appended one after the other): the cap applies per file.
  const partStarts = (table: TableName) => staged.get(table)!.parts.slice(1).map((p) => p.start);
  for (const table of TABLES) {
    const s = staged.get(table)!;
    const sql = columnChecksSql(table, s.present);
    if (sql) {
      await db.run(stagingSql.insertProblems(sql, partStarts(table)), { tbl: TABLES.indexOf(table) });
    }
    onCheck?.();
  }
  for (const [i, check] of CROSS_CHECKS.entries()) {
    if (!check.reads.every((t) => staged.get(t)!.complete)) continue;
    // Problems of one record come in column order; `distinct` drops the echoes a duplicate key
    // (already reported) would cause in joins.
    const seq = stagingSql.crossCheckSeq(tableSpec(check.table), i);
    await db.run(stagingSql.insertProblems(loadSql(`ingest/checks/${check.sql}`), partStarts(check.table), seq), { tbl: TABLES.indexOf(check.table) });
    onCheck?.();
  }
  const rows = await db.all<{ tbl: number; part: number; rec: number; column_name: string | null; message: string; value: string | null; first_rec: number | null; n: number }>(
    loadSql("ingest/problems_capped"),
    { cap },
  );
  return rows.map((r) => ({
    table: TABLES[r.tbl],
    part: Number(r.part),
    rec: Number(r.rec),
    column: r.column_name,
    message: r.message,
    value: r.value,
    firstRec: r.first_rec === null ? null : Number(r.first_rec),
    total: Number(r.n),
  }));
}

export const CHECK_COUNT = TABLES.length + CROSS_CHECKS.length;
