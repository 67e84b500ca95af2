import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "../../analytics/auth/request.server.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";
import { comparePrograms, searchPrograms, type ProgramComparisonRow } from "../../analytics/programs/compare.server.ts";
import { listPrograms } from "../../analytics/programs/list.server.ts";
import { ChartFigure, type DataColumn } from "../components/ChartFigure.tsx";
import { barXChart } from "../components/charts/bar-x.ts";
import { PHONE_WIDTH, renderChart } from "../components/charts/render.server.ts";
import { localeFromRequest } from "../i18n/locale.ts";
import type { MessageKey } from "../i18n/messages.ts";
import { pageTitle } from "../i18n/meta.ts";
import { rich } from "../i18n/rich.tsx";
import { programsMessages } from "../i18n/pages/programs.ts";
import { usePageT, useT } from "../i18n/use-t.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, programsMessages, "title");

/** The programs the user may see, searchable by name or id and kind, and compared side by side. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireUser(request);
  const db = await getAppDb();
  const url = new URL(request.url);
  const q = url.searchParams.get("q")?.slice(0, 100) ?? null;
  const kindParam = url.searchParams.get("kind");
  const kind = kindParam === "intra" || kindParam === "inter" ? kindParam : null;
  const all = await listPrograms(db, scope);
  const programs = searchPrograms(all, q, kind);
  const comparison = programs.length > 1 ? await comparePrograms(db, scope, programs) : [];
  const locale = localeFromRequest(request);
  const chart = renderChart(barXChart, comparison.map((r) => ({ label: r.name, value: r.completion_rate })), { width: 720, phoneWidth: PHONE_WIDTH, locale, percent: true });
  return { programs, total: all.length, q, kind, comparison, chart, isAdmin: scope.role === "admin" };
}

export default function Programs() {
  const { programs, total, q, kind, comparison, chart, isAdmin } = useLoaderData<typeof loader>();
  const { t, f } = useT();
  const pt = usePageT(programsMessages);
  const columns: DataColumn<ProgramComparisonRow>[] = [
    { key: "name", label: pt("colProgram") },
    { key: "participants", label: pt("colParticipants"), numeric: true, format: (v) => f.number(v as number, 0) },
    { key: "pairs", label: pt("colPairs"), numeric: true, format: (v) => f.number(v as number, 0) },
    { key: "match_rate", label: pt("colMatchRate"), numeric: true, format: (v) => f.percent(v as number) },
    { key: "completion_rate", label: pt("colCompletion"), numeric: true, format: (v) => f.percent(v as number) },
    { key: "midpoint_satisfaction_mean", label: pt("colSatisfaction"), numeric: true, format: (v) => f.number(v as number, 2) },
    { key: "early_termination_rate", label: pt("colEarly"), numeric: true, format: (v) => f.percent(v as number) },
    { key: "cross_generation_pair_rate", label: pt("colCrossGen"), numeric: true, format: (v) => f.percent(v as number) },
    { key: "cost_per_matched_mentee", label: pt("colCost"), numeric: true, format: (v, row) => f.money(v as number, row.currency) },
  ];
  return (
    <section>
      <h1>{pt("title")}</h1>
      {total === 0 && !isAdmin ? (
        <div className="empty">
          <p>
            <strong>{pt("emptyOrg")}</strong>
          </p>
        </div>
      ) : total === 0 ? (
        <div className="empty">
          <p>
            <strong>{pt("emptyAdmin")}</strong>
          </p>
          <p>
            {rich(pt("emptyAdminHow"), {
              format: <code>docs/export-format.md</code>,
              command: <code>npm run ingest -- path/to/export</code>,
              demo: <code>BINOME_DEMO=1</code>,
            })}
          </p>
        </div>
      ) : (
        <>
          <p className="lead">{pt(f.plural(total, isAdmin ? { one: "countAdmin.one", other: "countAdmin.other" } : { one: "countOrg.one", other: "countOrg.other" }), { n: f.number(total, 0) })}</p>
          <Form method="get" className="programs-tools" role="search">
            <label>
              {pt("search")}
              <input type="search" name="q" defaultValue={q ?? ""} placeholder={pt("searchPlaceholder")} />
            </label>
            <label>
              {pt("kind")}
              <select name="kind" defaultValue={kind ?? ""}>
                <option value="">{pt("any")}</option>
                <option value="intra">{t("program.kind.intra")}</option>
                <option value="inter">{t("program.kind.inter")}</option>
              </select>
            </label>
            <button type="submit" className="programs-filter">{pt("apply")}</button>
          </Form>
          {programs.length === 0 ? (
            <p className="empty">{pt("noMatch")}</p>
          ) : (
            <table className="data" aria-label={pt("title")}>
              <thead>
                <tr>
                  <th scope="col">{pt("colProgram")}</th>
                  <th scope="col">{pt("colKind")}</th>
                  <th scope="col">{pt("colStart")}</th>
                  <th scope="col">{pt("colEnd")}</th>
                  <th scope="col" className="num">
                    {pt("colParticipants")}
                  </th>
                  <th scope="col" className="num">
                    {pt("colPairs")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {programs.map((p) => (
                  <tr key={p.program_id} data-program-id={p.program_id}>
                    <td>
                      <Link to={`/programs/${encodeURIComponent(p.program_id)}`}>
                        <strong>{p.name}</strong>
                      </Link>
                      <br />
                      <small>{p.program_id}</small>
                    </td>
                    <td className="nowrap">
                      <span className="badge">{t(`program.kind.${p.kind}` as MessageKey)}</span>
                    </td>
                    <td className="nowrap">{f.date(p.start_date)}</td>
                    <td className="nowrap">{f.date(p.end_date)}</td>
                    <td className="num">{f.number(p.participants, 0)}</td>
                    <td className="num">{f.number(p.pairs, 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {comparison.length > 1 ? (
            <section className="section">
              <h2>{pt("compare")}</h2>
              <ChartFigure id="programs-compared" title={pt("compareChart")} caption={pt("compareCaption")} chart={chart} rows={comparison} columns={columns} />
            </section>
          ) : null}
        </>
      )}
    </section>
  );
}
