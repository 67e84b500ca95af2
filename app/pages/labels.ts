/**
 * Readable names of the groups the dashboards show, shared by a page's charts (rendered on the
 * server, app/pages/*.server.ts) and its tables (rendered by the route's component).
 */
import { GENERATION_KEYS } from "../../analytics/domain/generations.ts";
import type { BreakdownRow } from "../../analytics/metrics/suppression.ts";
import { formatMonth } from "../i18n/format.ts";
import type { Locale } from "../i18n/locale.ts";
import type { MessageKey } from "../i18n/messages.ts";
import { translate } from "../i18n/translate.ts";

/** A breakdown row's readable name in the locale (generations and cohorts are translated). */
export function breakdownLabel(dimension: "organization" | "generation" | "cohort", row: BreakdownRow, locale: Locale): string {
  if (dimension === "generation") return translate(locale, `generation.${row.group}` as MessageKey);
  if (dimension === "cohort") return row.group === "unmatched" ? "–" : formatMonth(locale, row.group);
  if (row.group === "others") return translate(locale, "org.others");
  return row.label ?? row.group;
}

/** Generations from the oldest to the youngest (the report orders rows by key). */
export function byGenerationOrder<Row extends { group: string }>(rows: readonly Row[]): Row[] {
  const order = GENERATION_KEYS as readonly string[];
  return [...rows].sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group));
}

/** A cost page organization row's name: the reader's "others", the unattributed lines, or the organization. */
export function costOrgName(pt: (key: "others" | "unattributed") => string, r: { group_key: string; org_name: string | null }): string {
  if (r.group_key === "others") return pt("others");
  if (r.group_key === "unattributed") return pt("unattributed");
  return r.org_name ?? r.group_key;
}
