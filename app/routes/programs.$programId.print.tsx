import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireProgram } from "../../analytics/auth/request.server.ts";
import { reportOptions } from "../../analytics/dashboards/context.server.ts";
import { getCachedReport } from "../../analytics/dashboards/pages.server.ts";
import type { Estimate } from "../../analytics/impact/estimate.ts";
import { DEFAULT_HORIZON_MONTHS } from "../../analytics/metrics/impact.server.ts";
import type { BreakdownRow } from "../../analytics/metrics/suppression.ts";
import { ChartFigure, type DataColumn } from "../components/ChartFigure.tsx";
import { formatPoints } from "../i18n/format.ts";
import type { CostOrganizationRow } from "../../analytics/dashboards/costs.server.ts";
import type { Suppressed } from "../../analytics/dashboards/page-suppression.ts";
import { OrganizationComparison } from "../components/OrganizationComparison.tsx";
import { OverviewTiles } from "../components/OverviewTiles.tsx";
import { RouteError } from "../components/RouteError.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import { overviewMessages } from "../i18n/pages/overview.ts";
import { costsMessages } from "../i18n/pages/costs.ts";
import { impactMessages } from "../i18n/pages/impact.ts";
import { printMessages } from "../i18n/pages/print.ts";
import { usePageT, useT } from "../i18n/use-t.ts";
import { dashboardPage } from "../pages/dashboard.server.ts";
import { byGenerationOrder, costOrgName } from "../pages/labels.ts";
import { printSummary } from "../pages/print-summary.ts";

/**
 * The printable sponsor report, a one-to-two-page A4 brief (issue 14, item 10): a summary
 * written from the figures, the headline tiles, the reader's organization beside the program,
 * the key charts, the Impact figures once the program has them, and the report's other figures
 * in compact tables; every figure from `getProgramReport` with the reader's audience (as the
 * JSON endpoint). The print CSS (app.css) sets A4, page numbers and a white page.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const signed = await requireProgram(request, params.programId);
  const { data: overview, charts, ctx, db } = await dashboardPage(signed, request, params.programId!, "print");
  const byGeneration = byGenerationOrder(overview.report.breakdowns.by_generation);
  // The Impact tab's figures at its default horizon, as the reader may see them (the report
  // applies the policy: docs/privacy.md); shown only once the program has them.
  const withImpact = await getCachedReport(db, params.programId!, { ...reportOptions(ctx), impact: { horizonMonths: DEFAULT_HORIZON_MONTHS } });
  const impact = withImpact?.impact?.status === "ok" ? withImpact.impact : null;
  return { ...overview, byGeneration, charts, impact, generatedOn: new Date().toISOString().slice(0, 10) };
}

export default function PrintReport() {
  const { report, trends, headline, organization, costs_by_organization, money_hidden, byGeneration, charts, impact, generatedOn } = useLoaderData<typeof loader>();
  const { t, f, locale } = useT();
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
  const it = usePageT(impactMessages);
  const summary = printSummary({ headline, currency: p.currency, band: c.market_band_per_mentee, organization, impact }, locale);
  const points = (v: number | null | undefined) => formatPoints(locale, v);
  const impactRow = (outcome: "retention" | "promotion") => {
    const o = impact?.[outcome];
    if (!o) return null;
    const reason = (e: Estimate) => it(`reason.${e.reason ?? "not_computed"}` as keyof typeof impactMessages.en, { k: report.k ?? 5 });
    return (
      <tr key={outcome} data-figure={`impact_${outcome}`} data-status={o.status} data-value={o.effect === null ? "" : String(o.effect)}>
        <td>{it(`tile.${outcome}`, { n: impact!.horizon_months })}</td>
        <td className="num">
          {o.status === "ok" && o.ci95 ? pt("impactEffect", { effect: points(o.effect), low: points(o.ci95[0]), high: points(o.ci95[1]) }) : pt("impactNone", { reason: reason(o) })}
        </td>
        <td className="num">{o.status === "ok" ? points(o.naive_effect) : "–"}</td>
      </tr>
    );
  };
  return (
    <article className="print-report" data-page="print">
      <p className="no-print">
        <button type="button" onClick={() => window.print()}>
          {pt("print")}
        </button>
      </p>
      <section className="print-section" data-section="summary">
        <h2>{pt("title")}</h2>
        <h3>{pt("summaryTitle")}</h3>
        <p className="lead print-summary" data-summary="true">
          {summary.join(" ")}
        </p>
      </section>
      <section className="print-section" data-section="key-figures">
        <h3>{pt("keyFigures")}</h3>
        <OverviewTiles report={report} headline={headline} trends={trends} sparklines={{}} />
        {organization ? <OrganizationComparison comparison={organization} k={report.k} currency={p.currency} /> : null}
      </section>
      <section className="print-section print-charts" data-section="charts">
        <ChartFigure
          id="print-by-organization"
          title={pt("byOrganization")}
          caption={pt("byOrganizationCaption")}
          chart={charts.byOrganization}
          rows={costs_by_organization}
          columns={costColumns}
          note={money_hidden ? ot("mineMoneyHidden") : undefined}
        />
        <ChartFigure
          id="print-cost-band"
          title={ct("chart.band.title")}
          caption={ct("chart.band.caption")}
          chart={charts.band}
          rows={charts.bandRows}
          columns={[
            { key: "label", label: ot("colLabel") },
            { key: "value", label: ot("costPerMentee"), numeric: true, format: (v) => money(v as number | null) },
          ]}
        />
        <ChartFigure id="print-by-generation" title={ot("byGeneration")} caption={ot("byGenerationCaption")} chart={charts.byGeneration} rows={byGeneration} columns={generationColumns} />
      </section>
      {impact ? (
        <section className="print-section" data-section="impact">
          <h3>{pt("impactTitle")}</h3>
          <p className="note">{pt("impactIntro", { months: impact.horizon_months })}</p>
          <table className="data print-figures">
            <thead>
              <tr>
                <th scope="col">{pt("impactFigure")}</th>
                <th scope="col" className="num">
                  {pt("impactValue")}
                </th>
                <th scope="col" className="num">
                  {pt("impactRaw")}
                </th>
              </tr>
            </thead>
            <tbody>
              {impactRow("retention")}
              {impactRow("promotion")}
            </tbody>
          </table>
          <p className="note" data-caveat="true">
            {it("assumptions")}
          </p>
        </section>
      ) : null}
      <section className="print-section print-tables" data-section="figures">
        <div data-section="quality">
          <h3>{pt("quality")}</h3>
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
        </div>
        <div data-section="topics-generations">
          <h3>{pt("topicsGenerations")}</h3>
          {table([
            ["topics_targeted", pt("targeted"), f.number(report.topics.targeted, 0)],
            ["topics_acquired", pt("acquired"), f.number(report.topics.acquired, 0)],
            ["completion_rate", pt("completion"), f.percent(report.topics.completion_rate)],
            ["median_days_to_acquire", pt("medianDays"), f.number(report.topics.median_days_to_acquire, 1)],
            ["cross_generation_pair_rate", pt("crossGen"), f.percent(report.generations.cross_generation_pair_rate)],
            ["median_age_gap_years", pt("ageGap"), f.number(report.generations.median_age_gap_years, 1)],
            ["outside_core_share", pt("outsideCore"), f.percent(report.generations.outside_core_share)],
          ])}
        </div>
        <div data-section="costs">
          <h3>{pt("costs")}</h3>
          {table([
            ["costs_total", pt("costTotal"), money(c.total)],
            ["per_participant", pt("perParticipant"), money(c.per_participant)],
            ["per_matched_mentee", pt("perMentee"), money(c.per_matched_mentee)],
            ["per_completed_pair", pt("perPair"), money(c.per_completed_pair)],
            ["per_acquired_topic", pt("perTopic"), money(c.per_acquired_topic)],
            ["market_band_per_mentee", pt("band"), c.market_band_per_mentee ? `${f.money(c.market_band_per_mentee.low, "EUR")} – ${f.money(c.market_band_per_mentee.high, "EUR")}` : "–"],
          ])}
        </div>
      </section>
      <p className="note print-footer">{pt("footer", { program: p.program_id, date: f.date(generatedOn) })}</p>
    </article>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
