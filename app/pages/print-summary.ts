/**
 * The summary paragraph of the printed sponsor report (issue 14, item 10): a few sentences
 * written from the report's figures in the reader's language, counts through the plural rules,
 * money and shares as the tiles write them. A figure that is hidden for the reader or not
 * computable (null) drops the sentence that needs it, never prints "null" or a misleading 0.
 */
import type { Headline, OrganizationComparison } from "../../analytics/dashboards/overview.server.ts";
import type { ImpactFigures } from "../../analytics/impact/estimate.ts";
import { formatMoney, formatNumber, formatPercent, formatPoints, plural } from "../i18n/format.ts";
import type { Locale } from "../i18n/locale.ts";
import { printMessages } from "../i18n/pages/print.ts";
import { pageTranslator } from "../i18n/translate.ts";

export interface SummaryInput {
  headline: Headline;
  currency: string;
  band: { low: number; high: number } | null;
  /** The reader's organization beside the program (protected readers); null for the operator. */
  organization: OrganizationComparison | null;
  /** The report's impact section as the reader may see it; null when not computed. */
  impact: ImpactFigures | null;
}

const known = (...values: (number | null | undefined)[]): boolean => values.every((v) => typeof v === "number" && Number.isFinite(v));


/** The summary's sentences, in order (join them with a space for the paragraph). */
export function printSummary(input: SummaryInput, locale: Locale): string[] {
  const pt = pageTranslator(printMessages, locale);
  const h = input.headline;
  const n = (v: number) => formatNumber(locale, v, 0);
  const count = (noun: "participants" | "organizations" | "pairs", v: number) => pt(plural(locale, v, { one: `count.${noun}.one`, other: `count.${noun}.other` } as const), { n: n(v) });
  const money = (v: number) => formatMoney(locale, v, input.currency);
  const out: string[] = [];

  if (known(h.participants, h.organizations, h.pairs, h.match_rate)) {
    out.push(
      pt(plural(locale, h.participants!, { one: "summary.people.one", other: "summary.people.other" }), {
        participants: count("participants", h.participants!),
        organizations: count("organizations", h.organizations!),
        pairs: count("pairs", h.pairs!),
        matchRate: formatPercent(locale, h.match_rate),
      }),
    );
  }
  if (known(h.active_pairs, h.completed_pairs, h.ended_early_pairs) && (h.pairs ?? 0) > 0) {
    out.push(pt("summary.status", { active: n(h.active_pairs!), completed: n(h.completed_pairs!), early: n(h.ended_early_pairs!) }));
  }
  if (known(h.topics_acquired, h.topics_targeted, h.topic_completion_rate) && h.topics_targeted! > 0) {
    out.push(pt("summary.topics", { acquired: n(h.topics_acquired!), targeted: n(h.topics_targeted!), completion: formatPercent(locale, h.topic_completion_rate) }));
  }
  if (known(h.midpoint_satisfaction_mean)) out.push(pt("summary.satisfaction", { satisfaction: formatNumber(locale, h.midpoint_satisfaction_mean, 2) }));
  if (known(h.cost_per_matched_mentee)) {
    const cost = h.cost_per_matched_mentee!;
    const band = input.band;
    if (band) {
      const position = cost < band.low ? "below" : cost > band.high ? "above" : "within";
      out.push(pt(`summary.cost.${position}`, { cost: money(cost), low: formatMoney(locale, band.low, "EUR"), high: formatMoney(locale, band.high, "EUR") }));
    } else out.push(pt("summary.cost", { cost: money(cost) }));
  }
  const own = input.organization?.own;
  if (own && known(own.participants, own.pairs)) {
    const vars = { name: own.label ?? own.group, participants: count("participants", own.participants!), pairs: count("pairs", own.pairs!) };
    const programCost = input.organization!.program.cost_per_matched_mentee;
    out.push(
      known(own.cost_per_matched_mentee, programCost)
        ? pt("summary.ownCost", { ...vars, cost: money(own.cost_per_matched_mentee!), programCost: money(programCost!) })
        : pt("summary.own", vars),
    );
  }
  const retention = input.impact?.retention;
  if (retention && retention.status === "ok" && known(retention.effect) && retention.ci95) {
    out.push(
      pt("summary.impact", {
        months: n(input.impact!.horizon_months),
        effect: formatPoints(locale, retention.effect!),
        low: formatPoints(locale, retention.ci95[0]),
        high: formatPoints(locale, retention.ci95[1]),
      }),
    );
  }
  return out;
}
