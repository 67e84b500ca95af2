/**
 * The satisfaction histogram of a set of pairs as a protected audience sees it, and whether the
 * means next to it may be published (./linked.ts). One definition for every view that shows the
 * histogram or the means of the same pairs: the quality page and the report. Call inside
 * `withProgramMarts` (reads the marts' filtered_pair_status macro).
 */
import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { filterParams, NO_FILTERS, type Filters } from "../domain/filters.ts";
import { closeHidden } from "./consistent.ts";
import { meanRevealsHiddenBars } from "./linked.ts";

export type Phase = "midpoint" | "final";

export interface SatisfactionBar {
  phase: Phase;
  satisfaction: number;
  answers: number | null;
  respondents: number | null;
  suppressed: boolean;
}

export interface ProtectedSatisfaction {
  bars: SatisfactionBar[];
  /** The phases whose mean must not be published next to these bars (null k: none). */
  withheldMeans: Set<Phase>;
}

/**
 * The histogram of the pairs `filters` select, as of `asOf`, with threshold k (null: admin,
 * nothing hidden), and the phases whose mean would reveal hidden bars. `means` are the means the
 * caller is about to publish, over the same answers.
 */
export async function protectedSatisfaction(
  db: Db,
  programId: string,
  asOf: string,
  k: number | null,
  means: Record<Phase, number | null>,
  filters: Filters = NO_FILTERS,
  /** Scores hidden in every view of this reader (./consistent.server.ts), per phase. */
  forced: Partial<Record<Phase, ReadonlySet<string>>> = {},
): Promise<ProtectedSatisfaction> {
  const rows = await db.all<{ phase: Phase; satisfaction: number; answers: number; respondents: number }>(loadSql("dashboards/quality_satisfaction"), {
    program_id: programId,
    as_of: asOf,
    ...filterParams(filters),
  });
  const bars: SatisfactionBar[] = [];
  const withheldMeans = new Set<Phase>();
  for (const phase of ["midpoint", "final"] as const) {
    const phaseRows = rows.filter((r) => r.phase === phase);
    const hidden =
      k === null
        ? new Set<string>()
        : closeHidden(
            phaseRows.map((r) => ({ key: String(r.satisfaction), people: r.respondents })),
            forced[phase] ?? new Set(),
            k,
          );
    const phaseBars = phaseRows.map((r): SatisfactionBar => {
      const hide = hidden.has(String(r.satisfaction));
      return { ...r, answers: hide ? null : r.answers, respondents: hide ? null : r.respondents, suppressed: hide };
    });
    bars.push(...phaseBars);
    const total = phaseRows.reduce((sum, r) => sum + r.answers, 0);
    if (k !== null && meanRevealsHiddenBars(phaseBars.map((b) => ({ score: b.satisfaction, answers: b.answers })), total, means[phase])) withheldMeans.add(phase);
  }
  return { bars, withheldMeans };
}
