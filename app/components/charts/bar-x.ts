import * as Plot from "@observablehq/plot";
import { colon } from "../../i18n/format.ts";
import { tickFormats } from "./axis.ts";
import { labelAxis, labelAxisY } from "./labels.ts";
import type { ChartOptions } from "./types.ts";
import type { Locale } from "../../i18n/locale.ts";

/**
 * One bar: a label and a value (null: not computable — drawn as no bar). `hidden`: suppressed
 * for the reader — drawn as a hatched stub labelled `hiddenLabel`, never as an empty bar that
 * reads as zero.
 */
export interface BarRow {
  label: string;
  value: number | null;
  hidden?: boolean;
}

/**
 * Horizontal bars, one per label in the given order, value labels at the end of each bar and a
 * `<title>` tooltip. `percent` formats values as shares of 1, `currency` as money ("€26,400").
 * Long labels are cut with an ellipsis to a margin computed from the width (labels.ts); the full
 * label is in the tooltips.
 */
export function barXChart(
  data: readonly BarRow[],
  { width, locale, document, percent = false, currency, xLabel, hiddenLabel = "hidden" }: ChartOptions & { percent?: boolean; currency?: string; xLabel?: string },
) {
  const fmt = tickFormats(locale);
  const format = percent ? fmt.percent : currency ? fmt.money(currency) : fmt.number;
  const rows = data.filter((d): d is { label: string; value: number } => d.value !== null && !d.hidden);
  const hidden = data.filter((d) => d.hidden);
  const labels = data.map((d) => d.label);
  const axis = labelAxis(labels, width);
  return Plot.plot({
    document,
    width,
    height: Math.max(60, 28 * labels.length + 40),
    marginLeft: axis.margin,
    // Room for the value written past the longest bar ("€26,400").
    marginRight: currency ? 64 : 48,
    x: { grid: true, label: xLabel ?? null, tickFormat: format, domain: percent || !rows.some((d) => d.value > 0) ? [0, 1] : undefined },
    y: { domain: labels, label: null },
    marks: [
      Plot.barX(rows, { x: "value", y: "label", fill: "#2f5bd3", title: (d: BarRow) => `${d.label}${colon(locale)}${format(d.value as number)}` }),
      Plot.text(rows, { x: "value", y: "label", text: (d: BarRow) => format(d.value as number), dx: 4, textAnchor: "start" }),
      ...hiddenMarksX(hidden, hiddenLabel, locale),
      Plot.ruleX([0]),
      labelAxisY(axis),
    ],
  });
}

/**
 * A hatched stub at the start of each hidden bar and its label, in grey (`dx` < 0: to the left
 * of the axis, for a bar that grows leftwards).
 */
export function hiddenMarksX(hidden: readonly { label: string }[], label: string, locale: Locale, dx = 4) {
  if (hidden.length === 0) return [];
  return [
    Plot.text(hidden, { x: 0, y: "label", text: () => `▨ ${label}`, dx, textAnchor: dx < 0 ? "end" : "start", fill: "#666", fontStyle: "italic", title: (d: { label: string }) => `${d.label}${colon(locale)}${label}` }),
  ];
}
