import * as Plot from "@observablehq/plot";
import { colon } from "../../i18n/format.ts";
import { tickFormats } from "./axis.ts";
import type { ChartOptions } from "./types.ts";

/** Acquired topics in one 15-day band of days to acquire, for one category (null: hidden). */
export interface DaysBand {
  category: string;
  band_start_days: number;
  topics_acquired: number | null;
}

/**
 * Time to acquire: a histogram of days from matching to the topic marked acquired, in 15-day
 * bands, stacked by topic category (swatch legend), with a `<title>` per segment.
 */
export function topicsDaysChart(
  data: readonly DaysBand[],
  { width, locale, document, height = 260, xLabel, bandWidth = 15 }: ChartOptions & { xLabel: string; bandWidth?: number },
) {
  const fmt = tickFormats(locale);
  const rows = data.filter((d) => d.topics_acquired !== null) as (DaysBand & { topics_acquired: number })[];
  return Plot.plot({
    document,
    width,
    height,
    marginLeft: 48,
    x: { label: xLabel, tickFormat: fmt.number },
    y: { grid: true, label: null, tickFormat: fmt.number },
    // The domain from every row, hidden ones too: an all-hidden chart still gets a swatch legend
    // (a ramp legend needs a canvas on the server).
    color: { type: "categorical", domain: [...new Set(data.map((d) => d.category))], legend: true },
    marks: [
      Plot.rectY(rows, {
        x1: "band_start_days",
        x2: (d: DaysBand) => d.band_start_days + bandWidth,
        y: "topics_acquired",
        fill: "category",
        inset: 0.5,
        title: (d: DaysBand) => `${d.category}\n${fmt.number(d.band_start_days)}–${fmt.number(d.band_start_days + bandWidth - 1)}${colon(locale)}${fmt.number(d.topics_acquired as number)}`,
      }),
      Plot.ruleY([0]),
    ],
  });
}
