import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireProgram } from "../../analytics/auth/request.server.ts";
import { DEFAULT_K } from "../../analytics/metrics/suppression.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";
import { getEditions, type EditionRow } from "../../analytics/programs/editions.server.ts";
import type { BreakdownRow } from "../../analytics/report/report.server.ts";
import { ChartFigure, DataTable, type DataColumn } from "../components/ChartFigure.tsx";
import type { ProgramPageHandle } from "../components/FiltersBar.tsx";
import { RouteError } from "../components/RouteError.tsx";
import { groupedBarsChart } from "../components/charts/grouped-bars.ts";
import { PHONE_WIDTH, renderChart } from "../components/charts/render.server.ts";
import type { FigureFormat } from "../i18n/format.ts";
import { localeFromRequest } from "../i18n/locale.ts";
import { editionsMessages } from "../i18n/pages/editions.ts";
import { pageTranslator } from "../i18n/translate.ts";
import { usePageT, useT } from "../i18n/use-t.ts";

/**
 * Cohort over cohort: the program beside its other editions (previous_program_id) and its
 * intake cohorts, each with the figures the reader already gets on that edition's overview
 * (analytics/programs/editions.server.ts).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const signed = await requireProgram(request, params.programId);
  const db = await getAppDb();
  const editions = await getEditions(db, signed.scope, params.programId!);
  if (!editions) throw data("This program does not exist.", { status: 404 });
  const locale = localeFromRequest(request);
  const pt = pageTranslator(editionsMessages, locale);
  const label = (e: EditionRow) => `${e.start_date.slice(0, 4)}–${e.end_date.slice(0, 4)}`;
  const chart =
    editions.editions.length > 1
      ? renderChart(
          groupedBarsChart,
          editions.editions.flatMap((e) => [
            { x: label(e), series: pt("metric.completion"), value: e.completion_rate, hidden: e.completion_rate === null },
            { x: label(e), series: pt("metric.early"), value: e.early_termination_rate, hidden: e.early_termination_rate === null },
            { x: label(e), series: pt("metric.crossGen"), value: e.cross_generation_pair_rate, hidden: e.cross_generation_pair_rate === null },
          ]),
          { width: 720, phoneWidth: PHONE_WIDTH, locale, percent: true },
        )
      : null;
  return { ...editions, chart, k: DEFAULT_K };
}

/** The filters bar is not drawn: every figure is for a whole edition or cohort. */
export const handle: ProgramPageHandle = { filters: false };

export default function EditionsPage() {
  const { program_id, editions, hidden_editions, cohorts, chart, k } = useLoaderData<typeof loader>();
  const { f } = useT();
  const pt = usePageT(editionsMessages);
  const pct = (v: unknown) => f.percent(v as number | null);
  const columns: DataColumn<EditionRow>[] = [
    { key: "name", label: pt("col.edition"), format: (v, r) => (r.program_id === program_id ? `${String(v)} (${pt("editions.current")})` : String(v)) },
    { key: "start_date", label: pt("col.dates"), format: (v, r) => `${f.date(String(v))} – ${f.date(r.end_date)}` },
    { key: "participants", label: pt("col.participants"), numeric: true, format: (v) => f.number(v as number, 0) },
    { key: "pairs", label: pt("col.pairs"), numeric: true, format: (v) => f.number(v as number, 0) },
    { key: "match_rate", label: pt("col.matchRate"), numeric: true, format: pct },
    { key: "completion_rate", label: pt("col.completion"), numeric: true, format: pct },
    { key: "midpoint_satisfaction_mean", label: pt("col.satisfaction"), numeric: true, format: (v) => f.number(v as number | null, 2) },
    { key: "early_termination_rate", label: pt("col.early"), numeric: true, format: pct },
    { key: "cross_generation_pair_rate", label: pt("col.crossGen"), numeric: true, format: pct },
    { key: "cost_per_matched_mentee", label: pt("col.cost"), numeric: true, format: (v, r) => f.money(v as number | null, r.currency) },
  ];
  const cohortColumns: DataColumn<BreakdownRow>[] = [
    { key: "label", label: pt("col.cohort"), format: (v, r) => (r.group === "unmatched" ? String(v) : f.month(r.group)) },
    { key: "participants", label: pt("col.participants"), numeric: true, format: (v) => f.number(v as number | null, 0) },
    { key: "pairs", label: pt("col.pairs"), numeric: true, format: (v) => f.number(v as number | null, 0) },
    { key: "completion_rate", label: pt("col.completion"), numeric: true, format: pct },
    { key: "midpoint_satisfaction_mean", label: pt("col.satisfaction"), numeric: true, format: (v) => f.number(v as number | null, 2) },
  ];
  const current = editions.findIndex((e) => e.program_id === program_id);
  const previous = current > 0 ? editions[current - 1] : null;
  const now = current >= 0 ? editions[current] : null;
  const signedPoints = (a: number | null, b: number | null) => (a === null || b === null ? null : `${b >= a ? "+" : ""}${f.number((b - a) * 100, 1)}`);
  // A change rounded like its figure (+€47 beside €713); one that rounds to nothing reads ±0.
  const signed = (figure: number, delta: number, format: FigureFormat) => f.delta(figure, delta, format) ?? `±${f.figure(0, format)}`;
  const changes =
    previous && now
      ? [
          ["change.completion", signedPoints(previous.completion_rate, now.completion_rate)],
          ["change.early", signedPoints(previous.early_termination_rate, now.early_termination_rate)],
          [
            "change.satisfaction",
            previous.midpoint_satisfaction_mean === null || now.midpoint_satisfaction_mean === null
              ? null
              : signed(now.midpoint_satisfaction_mean, now.midpoint_satisfaction_mean - previous.midpoint_satisfaction_mean, { kind: "number", digits: 2 }),
          ],
          [
            "change.cost",
            previous.cost_per_matched_mentee === null || now.cost_per_matched_mentee === null || previous.currency !== now.currency
              ? null
              : signed(now.cost_per_matched_mentee, now.cost_per_matched_mentee - previous.cost_per_matched_mentee, { kind: "money", currency: now.currency }),
          ],
        ]
          .filter(([, delta]) => delta !== null)
          .map(([key, delta]) => pt(key as "change.completion", { delta: delta! }))
      : [];
  const realCohorts = cohorts.filter((c) => c.group !== "unmatched");
  return (
    <section className="dashboard" data-page="editions">
      <h2>{pt("title")}</h2>
      <p className="lead">{pt("intro")}</p>
      <p className="note">
        <small>{pt("filtersNote")}</small>
      </p>
      <h3>{pt("editions.title")}</h3>
      {editions.length <= 1 ? (
        <p className="empty" data-empty="editions">
          {pt("editions.none")}
        </p>
      ) : (
        <>
          {changes.length > 0 ? (
            <p data-changes="true">
              <strong>{pt("editions.change", { changes: changes.join(", ") })}</strong>
            </p>
          ) : null}
          <ChartFigure id="editions" title={pt("editions.chart")} caption={pt("editions.chartCaption")} chart={chart} rows={editions} columns={columns} />
          <div className="table-scroll">
            <DataTable
              rows={editions}
              columns={columns}
              caption={pt("editions.caption")}
              visibleCaption
              className="data compact"
              name="editions"
              rowAttributes={(row) => ({ "data-program": row.program_id, "aria-current": row.program_id === program_id ? "true" : undefined })}
            />
          </div>
        </>
      )}
      {hidden_editions > 0 ? (
        <p className="note" data-hidden-editions={hidden_editions}>
          {hidden_editions === 1 ? pt("editions.hiddenOne") : pt("editions.hiddenMany", { n: f.number(hidden_editions, 0) })}
        </p>
      ) : null}
      <h3>{pt("cohorts.title")}</h3>
      {realCohorts.length <= 1 ? (
        <p className="empty" data-empty="cohorts">
          {pt("cohorts.none")}
        </p>
      ) : (
        <div className="table-scroll">
          <DataTable
            rows={cohorts}
            columns={cohortColumns}
            caption={pt("cohorts.caption", { k: f.number(k, 0) })}
            visibleCaption
            className="data compact"
            name="cohorts"
            rowAttributes={(row) => ({ "data-cohort": row.group, "data-suppressed": row.suppressed ? "true" : undefined })}
          />
        </div>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
