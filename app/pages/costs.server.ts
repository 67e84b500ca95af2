/** The charts of the cost page. */
import type { CostsPage } from "../../analytics/dashboards/costs.server.ts";
import { barXChart } from "../components/charts/bar-x.ts";
import { costsByMonthChart } from "../components/charts/costs-by-month.ts";
import { costsMarketBandChart } from "../components/charts/costs-market-band.ts";
import { PHONE_WIDTH, renderChart } from "../components/charts/render.server.ts";
import type { Locale } from "../i18n/locale.ts";
import { costsMessages } from "../i18n/pages/costs.ts";
import { pageTranslator } from "../i18n/translate.ts";
import { costOrgName } from "./labels.ts";

const WIDE = 1000;
const HALF = 500;
type PageKey = keyof typeof costsMessages.en;

export function costsCharts(page: CostsPage, locale: Locale) {
  const pt = pageTranslator(costsMessages, locale);
  const category = (key: string) => pt(`cat.${key}` as PageKey) ?? key;
  const currency = page.summary.currency;
  const hasCosts = page.summary.costs_total !== null;
  const bandRows = hasCosts
    ? [
        { label: pt(page.applied_filters.length > 0 ? "chart.band.filtered" : "chart.band.program"), value: page.summary.cost_per_matched_mentee },
        ...page.by_organization.filter((r) => r.group_key !== "unattributed" && r.amount !== null).map((r) => ({ label: costOrgName(pt, r), value: r.cost_per_matched_mentee })),
      ]
    : [];
  return {
    band: renderChart(costsMarketBandChart, bandRows, {
      width: WIDE,
      phoneWidth: PHONE_WIDTH,
      locale,
      currency,
      band: page.summary.market_band_per_mentee,
      bandLabel: pt("chart.band.label"),
    }),
    categories: renderChart(barXChart, page.by_category.map((r) => ({ label: category(r.cost_category), value: r.amount })), { width: HALF, phoneWidth: PHONE_WIDTH, locale, currency }),
    months: renderChart(
      costsByMonthChart,
      page.by_month.map((r) => ({ month: r.month, category: category(r.cost_category), amount: r.amount })),
      { width: HALF, phoneWidth: PHONE_WIDTH, locale, currency },
    ),
    orgs: !hasCosts ? null : renderChart(barXChart, page.by_organization.map((r) => ({ label: costOrgName(pt, r), value: r.amount, hidden: r.suppressed_fields.includes("amount") })), { width: HALF, phoneWidth: PHONE_WIDTH, locale, currency }),
  };
}
