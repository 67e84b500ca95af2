/** The charts of the overview and of the printable report, from the overview's data. */
import type { CostOrganizationRow } from "../../analytics/dashboards/costs.server.ts";
import type { Suppressed } from "../../analytics/dashboards/page-suppression.ts";
import type { OverviewData } from "../../analytics/dashboards/overview.server.ts";
import type { BreakdownRow } from "../../analytics/metrics/suppression.ts";
import { TILES, type TileKey } from "../components/OverviewTiles.tsx";
import { barXChart } from "../components/charts/bar-x.ts";
import { costsMarketBandChart, type BandPoint } from "../components/charts/costs-market-band.ts";
import { marketBandChart } from "../components/charts/market-band.ts";
import { PHONE_WIDTH, renderChart, type RenderedChart } from "../components/charts/render.server.ts";
import { sparklineChart } from "../components/charts/sparkline.ts";
import type { Locale } from "../i18n/locale.ts";
import type { MessageKey } from "../i18n/messages.ts";
import { costsMessages } from "../i18n/pages/costs.ts";
import { overviewMessages } from "../i18n/pages/overview.ts";
import { pageTranslator, translate } from "../i18n/translate.ts";
import { breakdownLabel, byGenerationOrder, costOrgName } from "./labels.ts";

export function overviewCharts({ report, trends }: OverviewData, locale: Locale) {
  const sparklines: Partial<Record<TileKey, RenderedChart | null>> = {};
  for (const tile of TILES) {
    const points = trends.map((row) => ({ month: row.month, value: row[tile.trend] as number | null }));
    sparklines[tile.key] = points.filter((p) => p.value !== null).length > 1 ? renderChart(sparklineChart, points, { width: 180, locale, percent: tile.percent, currency: tile.key === "cost_per_matched_mentee" ? report.program.currency : undefined }) : null;
  }
  const b = { ...report.breakdowns, by_generation: byGenerationOrder(report.breakdowns.by_generation) };
  const bars = (dimension: "organization" | "generation" | "cohort", rows: BreakdownRow[], figure: "participants" | "pairs") =>
    renderChart(barXChart, rows.map((row) => ({ label: breakdownLabel(dimension, row, locale), value: row[figure], hidden: row.suppressed || row.suppressed_fields.includes(figure) })), { width: 520, phoneWidth: PHONE_WIDTH, locale });
  const charts = {
    byOrganization: bars("organization", b.by_organization, "participants"),
    byGeneration: bars("generation", b.by_generation, "participants"),
    byCohort: bars("cohort", b.by_cohort.filter((row) => row.group !== "unmatched"), "pairs"),
  };
  const band = report.costs.market_band_per_mentee;
  const cost = report.costs.per_matched_mentee;
  const bandChart = band && cost !== null ? renderChart(marketBandChart, [{ value: cost, low: band.low, high: band.high, currency: "EUR" }], { width: 180, locale }) : null;
  return { sparklines, charts, bandChart };
}

/** A chart's width in the printed brief: a column of the A4 page (186 mm ≈ 700 px, two columns). */
const PRINT_CHART_WIDTH = 340;

export function printCharts({ report, costs_by_organization }: OverviewData & { costs_by_organization: Suppressed<CostOrganizationRow>[] }, locale: Locale) {
  const costsT = pageTranslator(costsMessages, locale);
  const overviewT = pageTranslator(overviewMessages, locale);
  const byGeneration = byGenerationOrder(report.breakdowns.by_generation);
  const currency = report.program.currency;
  // The program's cost per matched mentee beside each paying organization's (the reader's and
  // "others" for a partner company's reader), against the market band.
  const bandRows: BandPoint[] =
    report.costs.per_matched_mentee === null && !costs_by_organization.some((r) => r.cost_per_matched_mentee !== null)
      ? []
      : [
          { label: overviewT("mineProgram"), value: report.costs.per_matched_mentee },
          ...costs_by_organization.filter((r) => r.group_key !== "unattributed" && r.amount !== null).map((r) => ({ label: costOrgName(costsT, r), value: r.cost_per_matched_mentee })),
        ];
  // Drawn as wide as their column of the brief (two on A4, three on a wide screen): drawn 700 px
  // wide and shrunk into it, their text came out 4–5 px high.
  return {
    bandRows,
    band: renderChart(costsMarketBandChart, bandRows, { width: PRINT_CHART_WIDTH, locale, currency, band: report.costs.market_band_per_mentee, bandLabel: costsT("chart.band.label") }),
    byGeneration: renderChart(barXChart, byGeneration.map((r) => ({ label: translate(locale, `generation.${r.group}` as MessageKey), value: r.participants, hidden: r.suppressed })), { width: PRINT_CHART_WIDTH, locale }),
    // What each organization paid (money, not people: the costs page's rows).
    byOrganization: renderChart(
      barXChart,
      costs_by_organization.map((r) => ({ label: costOrgName(costsT, r), value: r.amount, hidden: r.suppressed_fields.includes("amount") })),
      { width: PRINT_CHART_WIDTH, locale, currency },
    ),
  };
}
