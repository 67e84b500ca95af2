import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireProgram } from "../../analytics/auth/request.server.ts";
import type { BreakdownRow } from "../../analytics/metrics/suppression.ts";
import { ChartFigure, type DataColumn } from "../components/ChartFigure.tsx";
import type { CostOrganizationRow } from "../../analytics/dashboards/costs.server.ts";
import type { Suppressed } from "../../analytics/dashboards/page-suppression.ts";
import { OrganizationComparison } from "../components/OrganizationComparison.tsx";
import { OverviewTiles } from "../components/OverviewTiles.tsx";
import { RouteError } from "../components/RouteError.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import { overviewMessages } from "../i18n/pages/overview.ts";
import { costsMessages } from "../i18n/pages/costs.ts";
import { printMessages } from "../i18n/pages/print.ts";
import { usePageT, useT } from "../i18n/use-t.ts";
import { dashboardPage } from "../pages/dashboard.server.ts";
import { byGenerationOrder, costOrgName } from "../pages/labels.ts";

/**
 * The printable sponsor report: every figure from `getProgramReport` with the reader's
 * audience (as the JSON endpoint), one section per printed page (print CSS in app.css).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const signed = await requireProgram(request, params.programId);
  const { data: overview, charts } = await dashboardPage(signed, request, params.programId!, "print");
  const byGeneration = byGenerationOrder(overview.report.breakdowns.by_generation);
  return { ...overview, byGeneration, charts, generatedOn: new Date().toISOString().slice(0, 10) };
}

export default function PrintReport() {
  const { report, trends, headline, organization, costs_by_organization, money_hidden, byGeneration, charts, generatedOn } = useLoaderData<typeof loader>();
  const { t, f } = useT();
  const pt = usePageT(printMessages);
  const ot = usePageT(overviewMessages);
  const ct = usePageT(costsMessages);
  const p = report.program;
  const q = report.quality;
  const c = report.costs;
  const money = (v: number | null) => f.money(v, p.currency);
  const table = (rows: [string, string, string][]) => (
    <table className="data print-figures">
      <thead>
        <tr>
          <th scope="col">{pt("figure")}</th>
          <th scope="col" className="num">
            {pt("value")}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([key, label, value]) => (
          <tr key={key} data-figure={key}>
            <td>{label}</td>
            <td className="num">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  const breakdownColumns: DataColumn<BreakdownRow>[] = [
    { key: "label", label: ot("colLabel"), format: (v, row) => (row.group === "others" ? t("org.others") : v ? String(v) : row.group) },
    { key: "participants", label: ot("colParticipants"), numeric: true, format: (v) => f.number(v as number, 0) },
    { key: "pairs", label: ot("colPairs"), numeric: true, format: (v) => f.number(v as number, 0) },
    { key: "midpoint_satisfaction_mean", label: ot("colSatisfaction"), numeric: true, format: (v) => f.number(v as number, 2) },
    { key: "completion_rate", label: ot("colCompletion"), numeric: true, format: (v) => f.percent(v as number) },
  ];
  const costColumns: DataColumn<Suppressed<CostOrganizationRow>>[] = [
    { key: "group_key", label: ot("colLabel"), format: (_, row) => costOrgName(ct, row) },
    { key: "amount", label: ct("col.amount"), numeric: true, format: (v) => money(v as number | null) },
    { key: "participants", label: ot("colParticipants"), numeric: true, format: (v) => f.number(v as number | null, 0) },
    { key: "cost_per_matched_mentee", label: ot("costPerMentee"), numeric: true, format: (v) => money(v as number | null) },
  ];
  const generationColumns: DataColumn<BreakdownRow>[] = [
    { key: "group", label: ot("colGroup"), format: (v) => t(`generation.${String(v)}` as MessageKey) },
    ...breakdownColumns.slice(1),
  ];
  return (
    <article className="print-report" data-page="print">
      <p className="no-print">
        <button type="button" onClick={() => window.print()}>
          {pt("print")}
        </button>
      </p>
      <section className="print-section" data-section="key-figures">
        <h2>
          {pt("title")} — {p.name}
        </h2>
        <p className="lead">
          {pt("intro", {
            kind: t(`program.kind.${p.kind}` as MessageKey),
            start: f.date(p.start_date),
            end: f.date(p.end_date),
            asOf: f.date(report.as_of),
            audience: report.k === null ? t("program.audience.admin") : t("program.audience.suppressed", { k: report.k }),
          })}
        </p>
        <h3>{pt("keyFigures")}</h3>
        <OverviewTiles report={report} headline={headline} trends={trends} sparklines={{}} />
        {organization ? <OrganizationComparison comparison={organization} k={report.k} currency={p.currency} /> : null}
      </section>
      <section className="print-section" data-section="quality">
        <h2>{pt("quality")}</h2>
        {table([
          ["midpoint_satisfaction_mean", pt("midpointMean"), f.number(q.midpoint_satisfaction_mean, 2)],
          ["final_satisfaction_mean", pt("finalMean"), f.number(q.final_satisfaction_mean, 2)],
          ["midpoint_response_rate", pt("responseRate"), f.percent(q.midpoint_response_rate)],
          ["midpoint_flagged_pairs", pt("flagged"), f.number(q.midpoint_flagged_pairs, 0)],
          ["at_risk_pairs", pt("atRisk"), f.number(q.at_risk_pairs, 0)],
          ["meeting_regularity", pt("regularity"), f.percent(q.meeting_regularity)],
          ["early_termination_rate", pt("earlyRate"), f.percent(q.early_termination_rate)],
          ["reverse", pt("reverse"), f.number(report.pairs.reverse, 0)],
        ])}
      </section>
      <section className="print-section" data-section="topics-generations">
        <h2>{pt("topicsGenerations")}</h2>
        {table([
          ["topics_targeted", pt("targeted"), f.number(report.topics.targeted, 0)],
          ["topics_acquired", pt("acquired"), f.number(report.topics.acquired, 0)],
          ["completion_rate", pt("completion"), f.percent(report.topics.completion_rate)],
          ["median_days_to_acquire", pt("medianDays"), f.number(report.topics.median_days_to_acquire, 1)],
          ["cross_generation_pair_rate", pt("crossGen"), f.percent(report.generations.cross_generation_pair_rate)],
          ["median_age_gap_years", pt("ageGap"), f.number(report.generations.median_age_gap_years, 1)],
          ["outside_core_share", pt("outsideCore"), f.percent(report.generations.outside_core_share)],
        ])}
        <ChartFigure id="print-by-generation" title={ot("byGeneration")} caption={ot("byGenerationCaption")} chart={charts.byGeneration} rows={byGeneration} columns={generationColumns} />
      </section>
      <section className="print-section" data-section="costs">
        <h2>{pt("costs")}</h2>
        {table([
          ["costs_total", pt("costTotal"), money(c.total)],
          ["per_participant", pt("perParticipant"), money(c.per_participant)],
          ["per_matched_mentee", pt("perMentee"), money(c.per_matched_mentee)],
          ["per_completed_pair", pt("perPair"), money(c.per_completed_pair)],
          ["per_acquired_topic", pt("perTopic"), money(c.per_acquired_topic)],
          ["market_band_per_mentee", pt("band"), c.market_band_per_mentee ? `${f.money(c.market_band_per_mentee.low, "EUR")} – ${f.money(c.market_band_per_mentee.high, "EUR")}` : "–"],
        ])}
        <ChartFigure
          id="print-by-organization"
          title={pt("byOrganization")}
          caption={pt("byOrganizationCaption")}
          chart={charts.byOrganization}
          rows={costs_by_organization}
          columns={costColumns}
          note={money_hidden ? ot("mineMoneyHidden") : undefined}
        />
        <p className="note">{pt("footer", { program: p.program_id, date: f.date(generatedOn) })}</p>
      </section>
    </article>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
