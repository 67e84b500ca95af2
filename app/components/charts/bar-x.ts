import * as Plot from "@observablehq/plot";
import { tickFormats } from "./axis.ts";
import type { ChartOptions } from "./types.ts";

/** One bar: a label and a value (null: hidden or not computable — drawn as no bar). */
export interface BarRow {
  label: string;
  value: number | null;
}

/**
 * Horizontal bars, one per label in the given order, value labels at the end of each bar and a
 * `<title>` tooltip. `percent` formats values as shares of 1.
 */
export function barXChart(
  data: readonly BarRow[],
  { width, locale, document, percent = false, xLabel }: ChartOptions & { percent?: boolean; xLabel?: string },
) {
  const fmt = tickFormats(locale);
  const format = percent ? fmt.percent : fmt.number;
  const rows = data.filter((d): d is { label: string; value: number } => d.value !== null);
  const labels = data.map((d) => d.label);
  const longest = Math.max(0, ...labels.map((l) => l.length));
  return Plot.plot({
    document,
    width,
    height: Math.max(60, 28 * labels.length + 40),
    marginLeft: Math.min(Math.round(width * 0.45), 12 + longest * 6),
    marginRight: 48,
    x: { grid: true, label: xLabel ?? null, tickFormat: format, domain: percent ? [0, 1] : undefined },
    y: { domain: labels, label: null },
    marks: [
      Plot.barX(rows, { x: "value", y: "label", fill: "#2f5bd3", title: (d: BarRow) => `${d.label}: ${format(d.value as number)}` }),
      Plot.text(rows, { x: "value", y: "label", text: (d: BarRow) => format(d.value as number), dx: 4, textAnchor: "start" }),
      Plot.ruleX([0]),
    ],
  });
}
