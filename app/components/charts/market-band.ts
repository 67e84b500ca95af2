import * as Plot from "@observablehq/plot";
import { intlLocale } from "../../i18n/format.ts";
import type { ChartOptions } from "./types.ts";

/** A cost per mentored person and the market band it is compared with (same currency). */
export interface BandRow {
  value: number;
  low: number;
  high: number;
  currency: string;
}

/**
 * A one-line scale: the market band as a shaded range and the program's cost as a rule, each
 * with a `<title>` tooltip — where the cost stands against 600–3,600 € at a glance.
 */
export function marketBandChart(data: readonly BandRow[], { width, locale, height = 44, document }: ChartOptions) {
  const row = data[0];
  const money = new Intl.NumberFormat(intlLocale(locale), { style: "currency", currency: row.currency, maximumFractionDigits: 0 });
  const max = Math.max(row.high, row.value) * 1.1;
  return Plot.plot({
    document,
    width,
    height,
    marginLeft: 6,
    marginRight: 10,
    marginTop: 4,
    marginBottom: 18,
    x: { domain: [0, max], ticks: [row.low, row.high], tickFormat: (v: number) => money.format(v), label: null },
    y: { axis: null },
    marks: [
      Plot.barX([row], { x1: "low", x2: "high", fill: "#1d7a46", fillOpacity: 0.18, title: (d: BandRow) => `${money.format(d.low)} – ${money.format(d.high)}` }),
      Plot.ruleX([row], { x: "value", stroke: "currentColor", strokeWidth: 2.5, title: (d: BandRow) => money.format(d.value) }),
    ],
  });
}
