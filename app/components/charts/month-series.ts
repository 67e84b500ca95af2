import * as Plot from "@observablehq/plot";
import { colon } from "../../i18n/format.ts";
import { monthDate, tickFormats } from "./axis.ts";
import type { ChartOptions } from "./types.ts";

/** One value of a monthly series: `YYYY-MM`, an optional series name, the value (null: none). */
export interface MonthValue {
  month: string;
  series?: string;
  value: number | null;
}

/**
 * Values month by month as lines with dots (one colour per series, a swatch legend when there
 * are several), each dot with a `<title>` tooltip. `percent` sets a 0–100 % axis.
 */
export function monthSeriesChart(
  data: readonly MonthValue[],
  { width, locale, height = 260, document, percent = false, yLabel }: ChartOptions & { percent?: boolean; yLabel?: string },
) {
  const fmt = tickFormats(locale);
  const format = percent ? fmt.percent : fmt.number;
  const rows = data
    .filter((d) => d.value !== null)
    .map((d) => ({ date: monthDate(d.month), series: d.series ?? "", value: d.value as number }));
  const several = new Set(rows.map((r) => r.series)).size > 1;
  return Plot.plot({
    document,
    width,
    height,
    marginLeft: 48,
    x: { type: "utc", label: null, tickFormat: fmt.month, ticks: Math.max(2, Math.floor(width / 90)) },
    y: { grid: true, label: yLabel ?? null, tickFormat: format, domain: percent ? [0, 1] : undefined, zero: true },
    color: several ? { legend: true } : undefined,
    marks: [
      Plot.lineY(rows, { x: "date", y: "value", stroke: several ? "series" : "#2f5bd3", z: "series" }),
      Plot.dot(rows, {
        x: "date",
        y: "value",
        fill: several ? "series" : "#2f5bd3",
        r: 3,
        title: (d: { date: Date; series: string; value: number }) => `${d.series ? `${d.series} · ` : ""}${fmt.month(d.date)}${colon(locale)}${format(d.value)}`,
      }),
    ],
  });
}
