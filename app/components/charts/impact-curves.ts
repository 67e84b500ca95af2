import * as Plot from "@observablehq/plot";
import { colon, formatPoints } from "../../i18n/format.ts";
import { translate } from "../../i18n/translate.ts";
import { tickFormats } from "./axis.ts";
import type { ChartOptions } from "./types.ts";

/** One point of an impact curve: month after the start, series, rate and its 95 % band (when it has one). */
export interface ImpactCurvePoint {
  month: number;
  series: string;
  rate: number;
  low: number | null;
  high: number | null;
}

/**
 * The participants' and the comparison group's rate month by month after the start (retention:
 * still employed; promotion: promoted), each with its 95 % band, and the raw comparison dashed.
 */
export function impactCurvesChart(
  data: readonly ImpactCurvePoint[],
  { width, locale, height = 280, document, monthLabel, dashed, order }: ChartOptions & { monthLabel: string; dashed: string; /** Series names: participants, comparison, raw comparison (fixed colours). */ order: readonly string[] },
) {
  const fmt = tickFormats(locale);
  const banded = data.filter((d) => d.low !== null && d.high !== null && Number.isFinite(d.low) && Number.isFinite(d.high));
  const solid = data.filter((d) => d.series !== dashed);
  const naive = data.filter((d) => d.series === dashed);
  return Plot.plot({
    document,
    width,
    height,
    marginLeft: 48,
    x: { label: monthLabel, ticks: Math.min(13, Math.max(2, Math.floor(width / 60))) },
    y: { grid: true, label: null, tickFormat: fmt.percent },
    color: { legend: true, domain: [...order], range: ["#d6452f", "#2f5bd3", "#8a8a8a"] },
    marks: [
      Plot.areaY(banded, { x: "month", y1: "low", y2: "high", fill: "series", fillOpacity: 0.18, z: "series" }),
      Plot.lineY(solid, { x: "month", y: "rate", stroke: "series", z: "series", strokeWidth: 2 }),
      Plot.lineY(naive, { x: "month", y: "rate", stroke: "series", strokeDasharray: "4,3" }),
      Plot.dot(data, {
        x: "month",
        y: "rate",
        fill: "series",
        r: 2.5,
        title: (d: ImpactCurvePoint) => `${d.series} · ${d.month}${colon(locale)}${fmt.percent(d.rate)}${d.low !== null && d.high !== null ? ` (${fmt.percent(d.low)}–${fmt.percent(d.high)})` : ""}`,
      }),
    ],
  });
}

/** One estimate: outcome, kind (effect or naive difference), value and interval (points as shares). */
export interface ImpactEffectRow {
  outcome: string;
  kind: string;
  value: number;
  low: number | null;
  high: number | null;
}

/** The effect on the participants with its 95 % interval, beside the naive difference, per outcome. */
export function impactEffectsChart(data: readonly ImpactEffectRow[], { width, locale, height, document }: ChartOptions) {
  // v is a share (0.05: 5 points): "+5 pts", "−0.8 pts", "0 pts" on the axis and in the tooltips.
  const points = (v: number) => formatPoints(locale, v);
  const rows = data.map((d) => ({ ...d, label: `${d.outcome} · ${d.kind}` }));
  const withInterval = rows.filter((d) => d.low !== null && d.high !== null);
  // Each row's name is written above its interval, not in a left margin: the chart reads the same
  // 640 px wide and on a phone (a 230 px margin left a 340 px phone version no room for the data).
  return Plot.plot({
    document,
    width,
    height: height ?? 60 + 44 * rows.length,
    marginLeft: 14,
    marginRight: 24,
    x: { grid: true, label: null, tickFormat: (v: number) => points(v) },
    y: { label: null, domain: rows.map((d) => d.label), axis: null },
    color: { legend: true, domain: [...new Set(rows.map((d) => d.kind))], range: ["#2f5bd3", "#8a8a8a"] },
    marks: [
      Plot.ruleX([0], { stroke: "#888" }),
      Plot.text(rows, { y: "label", text: "label", frameAnchor: "left", textAnchor: "start", dy: -14, fontSize: 11 }),
      Plot.ruleY(withInterval, { y: "label", x1: "low", x2: "high", stroke: "kind", strokeWidth: 3 }),
      Plot.dot(rows, { y: "label", x: "value", fill: "kind", r: 5, title: (d: ImpactEffectRow) => `${d.outcome} · ${d.kind}${colon(locale)}${points(d.value)}${d.low !== null && d.high !== null ? ` (${translate(locale, "chart.interval", { low: points(d.low), high: points(d.high) })})` : ""}` }),
    ],
  });
}
