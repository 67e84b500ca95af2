/**
 * Cohort over cohort (issue 14, item 5): a program beside its other editions — the chain of
 * `programs.previous_program_id`, back and forward — and its intake cohorts. Every figure is
 * one the reader already gets elsewhere, hidden alike: an edition's headline figures are its
 * report's for the reader's audience (comparePrograms, the home page's comparison), an intake
 * cohort's are the report's suppressed breakdown by cohort. An edition the reader may not open
 * is not named: it is counted.
 */
import { audienceFor, canViewProgram, type Scope } from "../auth/scope.server.ts";
import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { getCachedReport } from "../dashboards/pages.server.ts";
import type { Audience, BreakdownRow } from "../report/report.server.ts";
import { DEFAULT_K } from "../metrics/suppression.ts";
import { comparePrograms, type ProgramComparisonRow } from "./compare.server.ts";
import { listPrograms } from "./list.server.ts";

export interface EditionRow extends ProgramComparisonRow {
  /** 0 = this program, −1 its previous edition, +1 the next one. */
  position: number;
  start_date: string;
  end_date: string;
}

export interface EditionsData {
  program_id: string;
  /** The editions the reader may open, oldest first (this program included). */
  editions: EditionRow[];
  /** Editions of the chain the reader may not open (not named). */
  hidden_editions: number;
  /** This program's intake cohorts (month of first matching), from its report: small ones hidden. */
  cohorts: BreakdownRow[];
}

/** The editions and cohorts of a program as `scope` may see them, or null when it does not exist. */
export async function getEditions(db: Db, scope: Scope, programId: string): Promise<EditionsData | null> {
  const chain = await db.all<{ program_id: string; position: number }>(loadSql("queries/program_editions"), { program_id: programId });
  if (chain.length === 0) return null;
  const visible: { program_id: string; position: number }[] = [];
  for (const edition of chain) if (await canViewProgram(db, scope, edition.program_id)) visible.push(edition);
  const summaries = new Map((await listPrograms(db, scope)).map((p) => [p.program_id, p]));
  const listed = visible.map((e) => summaries.get(e.program_id)).filter((p) => p !== undefined);
  const figures = new Map((await comparePrograms(db, scope, listed)).map((r) => [r.program_id, r]));
  const editions: EditionRow[] = [];
  for (const e of visible) {
    const row = figures.get(e.program_id);
    const summary = summaries.get(e.program_id);
    // A program too small for the reader (its pages are refused) is not compared either.
    if (row && summary) editions.push({ ...row, position: e.position, start_date: summary.start_date, end_date: summary.end_date });
  }
  const audience = audienceFor(scope) as Audience;
  const report = await getCachedReport(db, programId, { audience, orgId: audience === "admin" ? null : scope.orgId, k: DEFAULT_K, asOf: null });
  return {
    program_id: programId,
    editions,
    hidden_editions: chain.length - editions.length,
    cohorts: report?.breakdowns.by_cohort ?? [],
  };
}
