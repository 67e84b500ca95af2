import * as Plot from "@observablehq/plot";
import { colon } from "../../i18n/format.ts";
import { tickFormats } from "./axis.ts";
import type { ChartOptions } from "./types.ts";

/** A strategy's predicted success rate with its 95 % interval (null: no outcome model). */
export interface SuccessInterval {
  strategy: string;
  mean: number | null;
  low: number | null;
  high: number | null;
}

/**
 * Strategies side by side: the predicted success rate of their pairs (dot) with its 95 %
 * bootstrap interval (line), one row per strategy in the given order; `<title>` tooltips.
 */
export function simulationsSuccessChart(data: readonly SuccessInterval[], { width, locale, document }: ChartOptions) {
  const fmt = tickFormats(locale);
  const rows = data.filter((d) => d.mean !== null) as { strategy: string; mean: number; low: number | null; high: number | null }[];
  const labels = data.map((d) => d.strategy);
  const values = rows.flatMap((r) => [r.mean, r.low ?? r.mean, r.high ?? r.mean]);
  const lo = Math.max(0, Math.min(...values) - 0.05);
  const hi = Math.min(1, Math.max(...values) + 0.05);
  const tip = (d: (typeof rows)[number]) =>
    `${d.strategy}${colon(locale)}${fmt.percent(d.mean)}${d.low !== null && d.high !== null ? ` (${fmt.percent(0.95)}${colon(locale)}${fmt.percent(d.low)}–${fmt.percent(d.high)})` : ""}`;
  return Plot.plot({
    document,
    width,
    height: Math.max(90, 34 * labels.length + 50),
    marginLeft: 90,
    marginRight: 60,
    x: { domain: [lo, hi], grid: true, label: null, tickFormat: fmt.percent },
    y: { domain: labels, label: null },
    marks: [
      Plot.ruleY(rows.filter((r) => r.low !== null && r.high !== null), { y: "strategy", x1: "low", x2: "high", stroke: "#2f5bd3", strokeWidth: 3, strokeOpacity: 0.45 }),
      Plot.dot(rows, { x: "mean", y: "strategy", r: 5, fill: "#2f5bd3", title: tip }),
      Plot.text(rows, { x: (d: (typeof rows)[number]) => d.high ?? d.mean, y: "strategy", text: (d: (typeof rows)[number]) => fmt.percent(d.mean), dx: 8, textAnchor: "start" }),
    ],
  });
}
