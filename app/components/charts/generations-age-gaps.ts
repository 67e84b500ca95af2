import * as Plot from "@observablehq/plot";
import { colon } from "../../i18n/format.ts";
import { tickFormats } from "./axis.ts";
import type { ChartOptions } from "./types.ts";

/** Pairs in one 5-year band of age gap, split by same / cross generation (null: hidden). */
export interface AgeGapBar {
  band_start_years: number;
  kind: string;
  pairs: number | null;
}

/** The age-gap distribution: pairs per 5-year band of |mentor − mentee| birth years, stacked by kind. */
export function generationsAgeGapsChart(data: readonly AgeGapBar[], { width, locale, document, height = 240, xLabel }: ChartOptions & { xLabel: string }) {
  const fmt = tickFormats(locale);
  const rows = data.filter((d) => d.pairs !== null) as (AgeGapBar & { pairs: number })[];
  return Plot.plot({
    document,
    width,
    height,
    marginLeft: 48,
    x: { label: xLabel, tickFormat: fmt.number },
    y: { grid: true, label: null, tickFormat: fmt.number },
    color: { type: "categorical", domain: [...new Set(data.map((d) => d.kind))], legend: true, range: ["#9aa9d8", "#2f5bd3"] },
    marks: [
      Plot.rectY(rows, {
        x1: "band_start_years",
        x2: (d: AgeGapBar) => d.band_start_years + 5,
        y: "pairs",
        fill: "kind",
        inset: 0.5,
        title: (d: AgeGapBar) => `${fmt.number(d.band_start_years)}–${fmt.number(d.band_start_years + 4)} · ${d.kind}${colon(locale)}${fmt.number(d.pairs as number)}`,
      }),
      Plot.ruleY([0]),
    ],
  });
}
