/** The charts of the pair-quality page, and the at-risk reasons they draw. */
import type { QualityData, SatisfactionRow } from "../../analytics/dashboards/quality.server.ts";
import { barXChart } from "../components/charts/bar-x.ts";
import { groupedBarsChart } from "../components/charts/grouped-bars.ts";
import { monthSeriesChart } from "../components/charts/month-series.ts";
import { PHONE_WIDTH, renderChart } from "../components/charts/render.server.ts";
import type { Locale } from "../i18n/locale.ts";
import { qualityMessages } from "../i18n/pages/quality.ts";
import { pageTranslator } from "../i18n/translate.ts";

export function qualityCharts(quality: QualityData, locale: Locale) {
  const pt = pageTranslator(qualityMessages, locale);
  const phase = (p: SatisfactionRow["phase"]) => (p === "midpoint" ? pt("midpoint") : pt("final"));
  const s = quality.summary;
  const atRiskReasons = [
    { reason: "flagged_at_midpoint", label: pt("reasonFlagged"), pairs: s.at_risk_flagged },
    { reason: "no_midpoint_evaluation", label: pt("reasonNoMidpoint"), pairs: s.at_risk_no_midpoint },
    { reason: "no_recent_meeting", label: pt("reasonNoMeeting"), pairs: s.at_risk_no_recent_meeting },
  ];
  // Hidden bars are answers too: the chart draws them as hidden, never the "no data" state.
  const anyAnswer = quality.satisfaction.some((r) => (r.answers ?? 0) > 0 || r.suppressed);
  const charts = {
    satisfaction: anyAnswer
      ? renderChart(groupedBarsChart, quality.satisfaction.map((r) => ({ x: String(r.satisfaction), series: phase(r.phase), value: r.answers, hidden: r.suppressed })), { width: 520, phoneWidth: PHONE_WIDTH, locale })
      : null,
    // The month of as_of, only begun, is not drawn (analytics/dashboards/regularity.ts): the caption says so.
    regularity: !quality.regularity.some((r) => r.share_with_meeting !== null) ? null : renderChart(monthSeriesChart, quality.regularity.filter((r) => !r.partial).map((r) => ({ month: r.month, value: r.share_with_meeting })), { width: 520, phoneWidth: PHONE_WIDTH, locale, percent: true }),
    terminations: renderChart(barXChart, quality.terminations.map((r) => ({ label: r.reason === "unknown" ? pt("unknownReason") : r.reason, value: r.pairs, hidden: r.suppressed })), { width: 520, phoneWidth: PHONE_WIDTH, locale }),
    atRisk: (s.at_risk_pairs ?? 0) > 0 ? renderChart(barXChart, atRiskReasons.map((r) => ({ label: r.label, value: r.pairs })), { width: 520, phoneWidth: PHONE_WIDTH, locale }) : null,
  };
  return { atRiskReasons, charts };
}
