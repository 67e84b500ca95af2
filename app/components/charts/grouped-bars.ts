import * as Plot from "@observablehq/plot";
import { colon } from "../../i18n/format.ts";
import { tickFormats } from "./axis.ts";
import type { ChartOptions } from "./types.ts";

/** One bar of a grouped bar chart: the category on x, the series (a colour), the value. */
export interface GroupedBar {
  x: string;
  series: string;
  value: number | null;
  /** Suppressed for the reader: drawn as a grey hatched label, never as an empty bar. */
  hidden?: boolean;
}

/**
 * Vertical bars grouped by `x` (in the given order), one colour per series with a swatch
 * legend, each bar with a `<title>` tooltip. `percent` formats values as shares of 1.
 */
export function groupedBarsChart(
  data: readonly GroupedBar[],
  { width, locale, height = 260, document, percent = false, yLabel, hiddenLabel = "hidden" }: ChartOptions & { percent?: boolean; yLabel?: string },
) {
  const fmt = tickFormats(locale);
  const format = percent ? fmt.percent : fmt.number;
  const rows = data.filter((d) => d.value !== null && !d.hidden);
  const hidden = data.filter((d) => d.hidden);
  const xs = [...new Set(data.map((d) => d.x))];
  const series = [...new Set(data.map((d) => d.series))];
  return Plot.plot({
    document,
    width,
    height,
    marginLeft: 48,
    fx: { domain: xs, label: null, padding: 0.15 },
    x: { domain: series, axis: null, padding: 0.1 },
    // Only zeros shown (the other bars hidden): a degenerate [0, 0] domain would draw them full height.
    y: { grid: true, label: yLabel ?? null, tickFormat: format, domain: rows.some((d) => (d.value as number) > 0) ? undefined : [0, 1] },
    color: { domain: series, legend: series.length > 1 },
    marks: [
      Plot.barY(rows, { fx: "x", x: "series", y: "value", fill: "series", title: (d: GroupedBar) => `${d.x} · ${d.series}${colon(locale)}${format(d.value as number)}` }),
      Plot.text(hidden, {
        fx: "x",
        x: "series",
        y: 0,
        text: () => `▨ ${hiddenLabel}`,
        rotate: -90,
        textAnchor: "start",
        dx: 0,
        dy: -4,
        fill: "#666",
        fontStyle: "italic",
        title: (d: GroupedBar) => `${d.x} · ${d.series}${colon(locale)}${hiddenLabel}`,
      }),
      Plot.ruleY([0]),
    ],
  });
}
