import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireProgram } from "../../analytics/auth/request.server.ts";
import { individualsOrg } from "../../analytics/auth/scope.server.ts";
import { attentionTile } from "../../analytics/dashboards/attention.ts";
import { getPage } from "../../analytics/dashboards/pages.server.ts";
import type { BreakdownRow } from "../../analytics/metrics/suppression.ts";
import { ChartFigure, type DataColumn } from "../components/ChartFigure.tsx";
import { RouteError } from "../components/RouteError.tsx";
import { OrganizationComparison } from "../components/OrganizationComparison.tsx";
import { OverviewTiles } from "../components/OverviewTiles.tsx";
import { overviewMessages } from "../i18n/pages/overview.ts";
import { usePageT, useT } from "../i18n/use-t.ts";
import { dashboardPage } from "../pages/dashboard.server.ts";
import { breakdownLabel, byGenerationOrder } from "../pages/labels.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signed = await requireProgram(request, params.programId);
  // Data and rendered charts are kept until the program's data changes (one render per view).
  const { data: overview, charts, ctx, db } = await dashboardPage(signed, request, params.programId!, "overview");
  const { report, trends, headline, filtered, organization } = overview;
  const { sparklines, charts: bars, bandChart } = charts;
  // The attention list's tile, for the readers who may open the list (hr, admin).
  const individuals = individualsOrg(ctx.scope);
  const counts = individuals ? (await getPage(db, params.programId!, "attention-counts", ctx))?.data : null;
  const attention = counts ? attentionTile(counts, params.programId!, ctx.filters, individuals!.kind === "org") : null;
  return { report, trends, headline, filtered, organization, sparklines, charts: bars, bandChart, attention };
}

export default function Overview() {
  const { report, trends, headline, filtered, organization, sparklines, charts, bandChart, attention } = useLoaderData<typeof loader>();
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
      <OverviewTiles report={report} headline={headline} filtered={filtered} trends={trends} sparklines={sparklines} bandChart={bandChart} attention={attention} />
      {organization ? <OrganizationComparison comparison={organization} k={report.k} currency={report.program.currency} /> : null}
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
