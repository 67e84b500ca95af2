import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requireProgram } from "../../analytics/auth/request.server.ts";
import type { Estimate } from "../../analytics/impact/estimate.ts";
import { ChartFigure, DataTable } from "../components/ChartFigure.tsx";
import type { ProgramPageHandle } from "../components/FiltersBar.tsx";
import { RouteError } from "../components/RouteError.tsx";
import { impactMessages } from "../i18n/pages/impact.ts";
import { usePageT, useT } from "../i18n/use-t.ts";
import { impactPage } from "../pages/impact.server.ts";

type PageKey = keyof typeof impactMessages.en;

/** The Impact tab (issue 13): program-wide figures; the dashboard filters do not apply. */
export const handle: ProgramPageHandle = { filters: false };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signed = await requireProgram(request, params.programId);
  return impactPage(signed, request, params.programId!);
}

export default function ImpactPage() {
  const { program, impact, horizon, charts, curves, effects, ladder, k, orgNames } = useLoaderData<typeof loader>();
  const { f } = useT();
  const pt = usePageT(impactMessages);
  const pct = (v: unknown) => f.percent(v as number | null);
  // A standardized difference of ±0.0004 reads 0 (not "-0").
  const num = (v: unknown) => f.number(v === null ? null : Math.abs(v as number) < 5e-4 ? 0 : (v as number), 2);
  const points = (v: number | null | undefined) => f.points(v);
  const reason = (e: Estimate) => pt(`reason.${e.reason ?? "not_computed"}` as PageKey, { k: k ?? 5 });
  const levelName = (covariate: string, level: string) =>
    covariate === "tenure" || covariate === "generation" || level === "others" || level === "unknown" ? pt(`level.${level}` as PageKey) : covariate === "organization" ? (orgNames[level] ?? level) : level;
  const tile = (outcome: "retention" | "promotion") => {
    const o = impact[outcome];
    if (!o) return null;
    return (
      <div className="tile" data-figure={outcome} data-status={o.status} data-effect={String(o.effect ?? "")}>
        <h3>{pt(`tile.${outcome}`, { n: horizon })}</h3>
        {o.status === "ok" ? (
          <>
            <p className="value">{points(o.effect)}</p>
            <p className="detail">
              {pt("tile.detail", { p: pct(o.participants.rate), c: pct(o.comparison.rate) })}
              <br />
              {pt("tile.effect", { effect: points(o.effect), low: points(o.ci95?.[0]), high: points(o.ci95?.[1]) })}
              <br />
              {pt("tile.naive", { naive: points(o.naive_effect) })}
            </p>
          </>
        ) : (
          <p className="detail">{pt("insufficient", { reason: reason(o) })}</p>
        )}
      </div>
    );
  };
  const groupRows = impact.retention && impact.promotion
    ? [
        ...(["mentee", "mentor"] as const).map((role) => ({ group: pt(`groups.role.${role}`), retention: impact.retention!.by_role[role], promotion: impact.promotion!.by_role[role] })),
        ...impact.retention.by_organization.map((r, i) => ({ group: r.org_id === "others" ? pt("level.others") : (orgNames[r.org_id] ?? r.org_id), retention: r as Estimate, promotion: impact.promotion!.by_organization[i] as Estimate })),
      ].map((r) => ({
        group: r.group,
        retention: r.retention.status === "ok" ? `${points(r.retention.effect)} (${points(r.retention.ci95?.[0])} … ${points(r.retention.ci95?.[1])})` : pt("insufficient", { reason: reason(r.retention) }),
        promotion: r.promotion.status === "ok" ? `${points(r.promotion.effect)} (${points(r.promotion.ci95?.[0])} … ${points(r.promotion.ci95?.[1])})` : pt("insufficient", { reason: reason(r.promotion) }),
      }))
    : [];
  const m = impact.money;
  const curveColumns = [
    { key: "month" as const, label: pt("col.month"), numeric: true },
    { key: "series" as const, label: pt("col.series") },
    { key: "rate" as const, label: pt("col.rate"), numeric: true, format: pct },
    { key: "low" as const, label: pt("col.low"), numeric: true, format: pct },
    { key: "high" as const, label: pt("col.high"), numeric: true, format: pct },
  ];
  return (
    <section className="dashboard" data-page="impact" data-status={impact.status}>
      <h2>{pt("title")}</h2>
      <p className="lead">{pt("intro")}</p>
      <Form method="get" className="impact-horizon">
        <label>
          {pt("horizon")}{" "}
          <input type="number" name="horizon" min={1} max={120} defaultValue={horizon} aria-describedby="impact-horizon-help" />
        </label>{" "}
        <span id="impact-horizon-help">{pt("horizon.months", { n: horizon })}</span> <button type="submit">{pt("horizon.apply")}</button>
      </Form>
      {impact.status === "no_workforce" ? (
        <p className="empty" data-empty="no_workforce">
          {pt("noWorkforce")}
        </p>
      ) : impact.retention === null ? (
        <p className="notice" data-empty="horizon">
          {pt("tooFar", { longest: impact.longest_horizon_months ?? 0 })}
        </p>
      ) : (
        <>
          {impact.participants_missing_from_workforce > 0 ? <p className="notice">{pt("missing", { n: impact.participants_missing_from_workforce })}</p> : null}
          <div className="tiles">
            {tile("retention")}
            {tile("promotion")}
          </div>
          <div className="charts section">
            <ChartFigure id="impact-retention" title={pt("chart.retention.title")} caption={pt("chart.retention.caption")} chart={charts.retention} rows={curves.retention} columns={curveColumns} />
            <ChartFigure id="impact-promotion" title={pt("chart.promotion.title")} caption={pt("chart.promotion.caption")} chart={charts.promotion} rows={curves.promotion} columns={curveColumns} />
          </div>
          {k !== null && (curves.retention.length < horizon + 1 || curves.promotion.length < horizon + 1) ? <p className="note">{pt("chart.monthsLeftOut", { k: f.number(k, 0) })}</p> : null}
          <ChartFigure
            id="impact-effects"
            title={pt("chart.effects.title")}
            caption={pt("chart.effects.caption")}
            chart={charts.effects}
            rows={effects}
            columns={[
              { key: "outcome", label: pt("col.outcome") },
              { key: "kind", label: pt("col.kind") },
              { key: "value", label: pt("col.value"), numeric: true, format: (v) => points(v as number) },
              { key: "low", label: pt("col.low"), numeric: true, format: (v) => points(v as number | null) },
              { key: "high", label: pt("col.high"), numeric: true, format: (v) => points(v as number | null) },
            ]}
          />
          <section className="section" data-section="balance">
            <h3>{pt("balance.title")}</h3>
            <DataTable
              name="impact-balance"
              caption={pt("balance.caption")}
              visibleCaption
              rows={(impact.retention.balance ?? []).map((b) => ({ ...b, covariate: pt(`covariate.${b.covariate}` as PageKey), level: levelName(b.covariate, b.level) }))}
              columns={[
                { key: "covariate", label: pt("col.covariate") },
                { key: "level", label: pt("col.level") },
                { key: "participants_share", label: pt("col.participants"), numeric: true, format: pct },
                { key: "comparison_share_before", label: pt("col.before"), numeric: true, format: pct },
                { key: "comparison_share_after", label: pt("col.after"), numeric: true, format: pct },
                { key: "smd_before", label: pt("col.smdBefore"), numeric: true, format: num },
                { key: "smd_after", label: pt("col.smdAfter"), numeric: true, format: num },
              ]}
            />
          </section>
          <section className="section" data-section="groups">
            <h3>{pt("groups.title")}</h3>
            <DataTable
              name="impact-groups"
              caption={pt("groups.title")}
              rows={groupRows}
              columns={[
                { key: "group", label: pt("col.group") },
                { key: "retention", label: pt("col.retention") },
                { key: "promotion", label: pt("col.promotion") },
              ]}
            />
          </section>
        </>
      )}
      <section className="section" data-section="money">
        <h3>{pt("money.title")}</h3>
        <p data-money-status={impact.money_status}>
          {m
            ? pt("money.figures", {
                avoided: f.number(m.departures_avoided, 1),
                cost: f.money(m.cost_per_departure, program.currency),
                benefit: f.money(m.benefit, program.currency),
                programCost: f.money(m.program_cost, program.currency),
                roi: f.percent(m.roi),
                low: f.percent(m.roi_ci95?.[0] ?? null),
                high: f.percent(m.roi_ci95?.[1] ?? null),
              })
            : impact.money_status === "hidden"
              ? pt("money.hidden")
              : impact.money_status === "no_estimate"
                ? pt("money.noEstimate")
                : pt("money.none")}
        </p>
      </section>
      <section className="section" data-section="ladder">
        <h3>{pt("ladder.title")}</h3>
        <table className="data" data-table="impact-ladder">
          <tbody>
            <tr>
              <th scope="row">{pt("ladder.reaction")}</th>
              <td className="num">{f.number(ladder.final_satisfaction, 2)}</td>
            </tr>
            <tr>
              <th scope="row">{pt("ladder.learning")}</th>
              <td className="num">
                {f.number(ladder.topics_acquired)} ({f.percent(ladder.completion_rate)})
              </td>
            </tr>
            <tr>
              <th scope="row">{pt("ladder.application")}</th>
              <td className="num">{f.percent(ladder.meeting_regularity)}</td>
            </tr>
            <tr>
              <th scope="row">{pt("ladder.reverse")}</th>
              <td className="num">
                {f.number(ladder.reverse_pairs)} / {f.number(ladder.pairs)}
              </td>
            </tr>
            <tr>
              <th scope="row">{pt("ladder.impact")}</th>
              <td className="num">
                {points(impact.retention?.effect)} / {points(impact.promotion?.effect)}
              </td>
            </tr>
            <tr>
              <th scope="row">{pt("ladder.roi")}</th>
              <td className="num">{m ? f.percent(m.roi) : "–"}</td>
            </tr>
          </tbody>
        </table>
        <p className="note">{pt("ladder.intangibles", { cross: f.percent(ladder.cross_generation_pair_rate), orgs: f.number(ladder.organizations) })}</p>
      </section>
      <p className="note" data-section="assumptions">
        {pt("assumptions")}
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
