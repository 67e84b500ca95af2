import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireProgram } from "../../analytics/auth/request.server.ts";
import { dashboardContext, reportOptions } from "../../analytics/dashboards/context.server.ts";
import { cachedByDataVersion } from "../../analytics/dashboards/cache.server.ts";
import { getOverview } from "../../analytics/dashboards/overview.server.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";
import type { BreakdownRow } from "../../analytics/metrics/suppression.ts";
import { GENERATION_KEYS } from "../../analytics/domain/generations.ts";
import { ChartFigure, type DataColumn } from "../components/ChartFigure.tsx";
import { barXChart } from "../components/charts/bar-x.ts";
import { renderChart } from "../components/charts/render.server.ts";
import { marketBandChart } from "../components/charts/market-band.ts";
import { sparklineChart } from "../components/charts/sparkline.ts";
import { RouteError } from "../components/RouteError.tsx";
import { OverviewTiles, TILES, type TileKey } from "../components/OverviewTiles.tsx";
import { formatMonth } from "../i18n/format.ts";
import { localeFromRequest, type Locale } from "../i18n/locale.ts";
import { overviewMessages } from "../i18n/pages/overview.ts";
import { translate } from "../i18n/translate.ts";
import type { MessageKey } from "../i18n/messages.ts";
import { usePageT, useT } from "../i18n/use-t.ts";
import { hasFilters } from "../utils/filters.ts";

/** A breakdown row's readable name in the locale (generations and cohorts are translated). */
export function breakdownLabel(dimension: "organization" | "generation" | "cohort", row: BreakdownRow, locale: Locale): string {
  if (dimension === "generation") return translate(locale, `generation.${row.group}` as MessageKey);
  if (dimension === "cohort") return row.group === "unmatched" ? "–" : formatMonth(locale, row.group);
  if (row.group === "others") return translate(locale, "org.others");
  return row.label ?? row.group;
}

/** Generations from the oldest to the youngest (the report orders rows by key). */
function byGenerationOrder(rows: BreakdownRow[]): BreakdownRow[] {
  const order = GENERATION_KEYS as readonly string[];
  return [...rows].sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group));
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signed = await requireProgram(request, params.programId);
  const ctx = await dashboardContext(signed, request, params.programId!);
  const locale = localeFromRequest(request);
  const db = await getAppDb();
  const options = reportOptions(ctx);
  // Data and rendered charts are kept until the program's data changes (one render per view).
  const page = await cachedByDataVersion(db, params.programId!, ["overview-page", locale, options], async () => {
    const overview = await getOverview(db, params.programId!, options);
    if (!overview) return null;
    const { report, trends } = overview;
    const sparklines: Partial<Record<TileKey, ReturnType<typeof renderChart>>> = {};
    for (const tile of TILES) {
      const points = trends.map((row) => ({ month: row.month, value: row[tile.trend] as number | null }));
      sparklines[tile.key] = points.filter((p) => p.value !== null).length > 1 ? renderChart(sparklineChart, points, { width: 180, locale, percent: tile.percent }) : null;
    }
    const b = { ...report.breakdowns, by_generation: byGenerationOrder(report.breakdowns.by_generation) };
    const bars = (dimension: "organization" | "generation" | "cohort", rows: BreakdownRow[], figure: "participants" | "pairs") =>
      renderChart(barXChart, rows.map((row) => ({ label: breakdownLabel(dimension, row, locale), value: row[figure], hidden: row.suppressed || row.suppressed_fields.includes(figure) })), { width: 520, locale });
    const charts = {
      byOrganization: bars("organization", b.by_organization, "participants"),
      byGeneration: bars("generation", b.by_generation, "participants"),
      byCohort: bars("cohort", b.by_cohort.filter((row) => row.group !== "unmatched"), "pairs"),
    };
    const band = report.costs.market_band_per_mentee;
    const cost = report.costs.per_matched_mentee;
    const bandChart = band && cost !== null ? renderChart(marketBandChart, [{ value: cost, low: band.low, high: band.high, currency: "EUR" }], { width: 180, locale }) : null;
    return { report, trends, sparklines, charts, bandChart };
  });
  if (!page) throw data("This program does not exist or is not shared with your organization.", { status: 404 });
  const { report, trends, sparklines, charts, bandChart } = page;
  return { report, trends, sparklines, charts, bandChart, filtered: hasFilters(ctx.filters) };
}

export default function Overview() {
  const { report, trends, sparklines, charts, bandChart, filtered } = useLoaderData<typeof loader>();
  const { f, locale } = useT();
  const pt = usePageT(overviewMessages);
  const columns = (dimension: "organization" | "generation" | "cohort"): DataColumn<BreakdownRow>[] => [
    { key: "group", label: pt("colGroup") },
    { key: "label", label: pt("colLabel"), format: (_, row) => breakdownLabel(dimension, row, locale) },
    { key: "participants", label: pt("colParticipants"), numeric: true, format: (v) => f.number(v as number, 0) },
    { key: "pairs", label: pt("colPairs"), numeric: true, format: (v) => f.number(v as number, 0) },
    { key: "midpoint_satisfaction_mean", label: pt("colSatisfaction"), numeric: true, format: (v) => f.number(v as number, 2) },
    { key: "completion_rate", label: pt("colCompletion"), numeric: true, format: (v) => f.percent(v as number) },
  ];
  const b = { ...report.breakdowns, by_generation: byGenerationOrder(report.breakdowns.by_generation) };
  return (
    <section className="overview" data-page="overview">
      <h2 className="visually-hidden">{pt("title")}</h2>
      {filtered ? <p className="notice">{pt("tilesNote")}</p> : null}
      <OverviewTiles report={report} trends={trends} sparklines={sparklines} bandChart={bandChart} />
      <div className="charts">
        <ChartFigure id="participants-by-organization" title={pt("byOrganization")} caption={pt("byOrganizationCaption")} chart={charts.byOrganization} rows={b.by_organization} columns={columns("organization")} />
        <ChartFigure id="participants-by-generation" title={pt("byGeneration")} caption={pt("byGenerationCaption")} chart={charts.byGeneration} rows={b.by_generation} columns={columns("generation")} />
        <ChartFigure id="pairs-by-cohort" title={pt("byCohort")} caption={pt("byCohortCaption")} chart={charts.byCohort} rows={b.by_cohort.filter((row) => row.group !== "unmatched")} columns={columns("cohort")} />
      </div>
      <p className="no-print">
        <a href={`/api/programs/${encodeURIComponent(report.program.program_id)}/report.json`}>{pt("jsonLink")}</a>
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
