import type { Scope } from "../auth/scope.server.ts";
import { audienceFor } from "../auth/scope.server.ts";
import type { Db } from "../db/database.server.ts";
import { DEFAULT_K } from "../metrics/suppression.ts";
import type { Audience } from "../report/report.server.ts";
import { getCachedReport } from "../dashboards/pages.server.ts";
import type { ProgramSummary } from "./list.server.ts";
import { programTooSmall } from "../privacy/query-space.ts";
import { getQuerySpace } from "../privacy/query-space.server.ts";

/** One program's headline figures for the cross-program comparison (from its report). */
export interface ProgramComparisonRow {
  program_id: string;
  name: string;
  currency: string;
  participants: number;
  pairs: number;
  match_rate: number | null;
  completion_rate: number | null;
  midpoint_satisfaction_mean: number | null;
  early_termination_rate: number | null;
  cross_generation_pair_rate: number | null;
  cost_per_matched_mentee: number | null;
}

/**
 * The listed programs side by side: each figure is the program's report figure for the
 * reader's audience (the same numbers as each program's overview and JSON report).
 */
export async function comparePrograms(db: Db, scope: Scope, programs: readonly ProgramSummary[]): Promise<ProgramComparisonRow[]> {
  const audience = audienceFor(scope) as Audience;
  const rows: ProgramComparisonRow[] = [];
  for (const program of programs) {
    // The reader's own organization, as on the program's pages: the same figures, hidden alike.
    const options = { audience, orgId: audience === "admin" ? null : scope.orgId, k: DEFAULT_K, asOf: null };
    if (audience !== "admin") {
      const space = await getQuerySpace(db, program.program_id, scope.orgId, DEFAULT_K);
      if (space && programTooSmall(space)) continue; // its pages are refused too
    }
    const report = await getCachedReport(db, program.program_id, options);
    if (!report) continue;
    rows.push({
      program_id: program.program_id,
      name: program.name,
      currency: report.program.currency,
      participants: report.participants.total,
      pairs: report.pairs.total,
      match_rate: report.pairs.match_rate,
      completion_rate: report.topics.completion_rate,
      midpoint_satisfaction_mean: report.quality.midpoint_satisfaction_mean,
      early_termination_rate: report.quality.early_termination_rate,
      cross_generation_pair_rate: report.generations.cross_generation_pair_rate,
      cost_per_matched_mentee: report.costs.per_matched_mentee,
    });
  }
  return rows;
}

/** The programs matching a search text (name or id, case- and accent-insensitive) and a kind. */
export function searchPrograms<P extends { program_id: string; name: string; kind: string }>(programs: readonly P[], q: string | null, kind: string | null): P[] {
  const fold = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const needle = q ? fold(q.trim()) : "";
  return programs.filter((p) => (!kind || p.kind === kind) && (!needle || fold(p.name).includes(needle) || fold(p.program_id).includes(needle)));
}
