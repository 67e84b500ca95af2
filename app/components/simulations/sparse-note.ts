import type { SparseInfo } from "../../../analytics/matching/simulation.ts";
import { formatNumber, formatPercent } from "../../i18n/format.ts";
import type { Locale } from "../../i18n/locale.ts";
import { simulationsMessages } from "../../i18n/pages/simulations.ts";
import { pageTranslator } from "../../i18n/translate.ts";

/**
 * What the page says about a run in the sparse mode (issue 15, item 5), in the reader's
 * language: how the candidates were chosen, the gap to the full optimum when it was computed,
 * and why some figures read differently (SparseInfo.notes). Empty for a dense run.
 */
export function sparseNoteLines(sparse: SparseInfo | null | undefined, program: { mentors: number; mentees: number }, locale: Locale): string[] {
  if (!sparse) return [];
  const pt = pageTranslator(simulationsMessages, locale);
  const n = (v: number) => formatNumber(locale, v, 0);
  return [
    pt("sparse.mode", { mentors: n(program.mentors), mentees: n(program.mentees), limit: n(sparse.dense_limit), k: n(sparse.k), candidates: n(sparse.candidates), pairs: n(sparse.pairs) }),
    sparse.gap_to_dense === null ? pt("sparse.gapUnknown") : pt("sparse.gap", { gap: formatPercent(locale, sparse.gap_to_dense, 2) }),
    ...sparse.notes.map((code) => pt(`sparse.note.${code}`)),
  ];
}
