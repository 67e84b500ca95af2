import * as Plot from "@observablehq/plot";
import { colon } from "../../i18n/format.ts";
import { monthDate, tickFormats } from "./axis.ts";
import type { ChartOptions } from "./types.ts";

/** One point of a trend: a month `YYYY-MM` and its value (null: not computable or hidden). */
export interface SparkPoint {
  month: string;
  value: number | null;
}

/**
 * A month-by-month trend without axes, for a tile: a line through the known values and a dot
 * on the last one. Each point has a tooltip (`<title>`) with its month and value (in money with
 * `currency`).
 */
export function sparklineChart(
  data: readonly SparkPoint[],
  { width, locale, height = 36, document, percent = false, currency }: ChartOptions & { percent?: boolean; currency?: string },
) {
  const fmt = tickFormats(locale);
  const rows = data.filter((d) => d.value !== null).map((d) => ({ date: monthDate(d.month), value: d.value as number }));
  const format = percent ? fmt.percent : currency ? fmt.money(currency) : fmt.number;
  const label = (d: { date: Date; value: number }) => `${fmt.month(d.date)}${colon(locale)}${format(d.value)}`;
  return Plot.plot({
    document,
    width,
    height,
    margin: 3,
    axis: null,
    x: { type: "utc" },
    y: { zero: !percent && rows.every((d) => d.value >= 0), domain: percent ? [0, 1] : undefined },
    marks: [
      Plot.lineY(rows, { x: "date", y: "value", stroke: "currentColor", strokeWidth: 1.5 }),
      Plot.dot(rows, { x: "date", y: "value", r: 6, fill: "transparent", title: label }),
      Plot.dot(rows.slice(-1), { x: "date", y: "value", r: 2.5, fill: "currentColor" }),
    ],
  });
}
