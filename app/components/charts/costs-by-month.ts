import * as Plot from "@observablehq/plot";
import { colon } from "../../i18n/format.ts";
import { intlLocale } from "../../i18n/format.ts";
import { monthDate, tickFormats } from "./axis.ts";
import type { ChartOptions } from "./types.ts";

/** Amount spent in one month on one cost category. */
export interface CostMonthBar {
  month: string;
  category: string;
  amount: number;
}

/**
 * Costs over time: one bar per month from the first to the last month with costs (empty months
 * kept, so the spacing is true), stacked by category (swatch legend); `<title>` tooltips. The
 * months are a band scale labelled through Intl ('YYYY-MM' strings on a time axis warn).
 */
export function costsByMonthChart(data: readonly CostMonthBar[], { width, locale, document, height = 260, currency }: ChartOptions & { currency: string }) {
  const fmt = tickFormats(locale);
  const money = new Intl.NumberFormat(intlLocale(locale), { style: "currency", currency, maximumFractionDigits: 0 });
  const months = [...new Set(data.map((d) => d.month))].sort();
  const all: string[] = [];
  if (months.length > 0) {
    const d = monthDate(months[0]);
    const last = monthDate(months[months.length - 1]);
    while (d <= last) {
      all.push(d.toISOString().slice(0, 7));
      d.setUTCMonth(d.getUTCMonth() + 1);
    }
  }
  return Plot.plot({
    document,
    width,
    height,
    marginLeft: 72,
    x: { domain: all, label: null, tickFormat: (m: string) => fmt.month(monthDate(m)) },
    y: { grid: true, label: null, tickFormat: (v: number) => money.format(v) },
    color: { type: "categorical", domain: [...new Set(data.map((d) => d.category))], legend: true },
    marks: [
      Plot.barY(data, {
        x: "month",
        y: "amount",
        fill: "category",
        title: (d: CostMonthBar) => `${fmt.month(monthDate(d.month))} · ${d.category}${colon(locale)}${money.format(d.amount)}`,
      }),
      Plot.ruleY([0]),
    ],
  });
}
