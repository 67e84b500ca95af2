import * as Plot from "@observablehq/plot";
import { colon } from "../../i18n/format.ts";
import { intlLocale } from "../../i18n/format.ts";
import { labelAxis, labelAxisY } from "./labels.ts";
import type { ChartOptions } from "./types.ts";

/** A cost per matched mentee to set against the market band (null: hidden or not computable). */
export interface BandPoint {
  label: string;
  value: number | null;
}

/**
 * Cost per matched mentee against the 600–3,600 € market band of offline mentoring: the band
 * as a shaded strip, one dot per row (program first, then organizations), the value written
 * beside it; `<title>` tooltips. Without a band (another currency) only the dots.
 */
export function costsMarketBandChart(
  data: readonly BandPoint[],
  { width, locale, document, band, currency, bandLabel }: ChartOptions & { band: { low: number; high: number } | null; currency: string; bandLabel: string },
) {
  const money = new Intl.NumberFormat(intlLocale(locale), { style: "currency", currency, maximumFractionDigits: 0 });
  const rows = data.filter((d) => d.value !== null) as { label: string; value: number }[];
  const labels = data.map((d) => d.label);
  const axis = labelAxis(labels, width, { maxChars: 40 });
  const max = Math.max(band?.high ?? 0, ...rows.map((r) => r.value)) * 1.08;
  return Plot.plot({
    document,
    width,
    height: Math.max(110, 30 * labels.length + 62),
    marginLeft: axis.margin,
    marginRight: 30,
    marginTop: band ? 22 : 20,
    x: { domain: [0, max], grid: true, label: null, tickFormat: (v: number) => money.format(v) },
    y: { domain: labels, label: null },
    marks: [
      ...(band
        ? [
            Plot.rectX([band], { x1: "low", x2: "high", fill: "#e3efe0", title: () => `${bandLabel}${colon(locale)}${money.format(band.low)}–${money.format(band.high)}` }),
            // Above the strip, in the top margin: inside it, the label ran into the last row's value.
            Plot.text([band], { x: "high", text: () => bandLabel, frameAnchor: "top", textAnchor: "end", dy: -8, fill: "#4a7043" }),
          ]
        : []),
      Plot.ruleY(rows, { y: "label", x1: 0, x2: "value", stroke: "#c9d4f2" }),
      Plot.dot(rows, { x: "value", y: "label", r: 5, fill: "#2f5bd3", title: (d: BandPoint) => `${d.label}${colon(locale)}${money.format(d.value as number)}` }),
      Plot.text(rows, { x: "value", y: "label", text: (d: BandPoint) => money.format(d.value as number), dx: 9, textAnchor: "start", fontSize: 11 }),
      labelAxisY(axis),
    ],
  });
}
