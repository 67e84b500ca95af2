import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { recordAudit } from "../../analytics/auth/audit.server.ts";
import { requireProgram } from "../../analytics/auth/request.server.ts";
import { daysIntoMonth } from "../../analytics/dashboards/regularity.ts";
import type { AtRiskPair, RegularityRow, SatisfactionRow, TerminationRow } from "../../analytics/dashboards/quality.server.ts";
import { ChartFigure, type DataColumn } from "../components/ChartFigure.tsx";
import { RouteError } from "../components/RouteError.tsx";
import { attentionMessages } from "../i18n/pages/attention.ts";
import { qualityMessages } from "../i18n/pages/quality.ts";
import { usePageT, useT } from "../i18n/use-t.ts";
import { dashboardPage } from "../pages/dashboard.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signed = await requireProgram(request, params.programId);
  const { data: quality, charts: rendered, ctx, db } = await dashboardPage(signed, request, params.programId!, "quality");
  if (quality.atRisk && quality.atRisk.length > 0) {
    await recordAudit(db, ctx.scope, "view_individuals", {
      programId: params.programId,
      page: "quality",
      list: "at_risk_pairs",
      rows: quality.atRisk.length,
      filters: ctx.filters,
    });
  }
  const { atRiskReasons, charts } = rendered;
  return { ...quality, atRiskReasons, charts, k: ctx.k, canSeeIndividuals: quality.atRisk !== null, programId: params.programId! };
}

export default function Quality() {
  const { summary: s, satisfaction, regularity, terminations, withheld, k, atRisk, atRiskReasons, charts, canSeeIndividuals, programId, as_of: asOf } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const { t, f } = useT();
  const pt = usePageT(qualityMessages);
  const at = usePageT(attentionMessages);
  const n0 = (v: unknown) => f.number(v as number, 0);
  const satisfactionColumns: DataColumn<SatisfactionRow>[] = [
    { key: "phase", label: pt("colPhase"), format: (v) => (v === "midpoint" ? pt("midpoint") : pt("final")) },
    { key: "satisfaction", label: pt("colScore"), numeric: true },
    { key: "answers", label: pt("colAnswers"), numeric: true, format: n0 },
    { key: "respondents", label: pt("colRespondents"), numeric: true, format: n0 },
  ];
  const regularityColumns: DataColumn<RegularityRow>[] = [
    { key: "month", label: pt("colMonth"), format: (v, row) => (row.partial ? pt("partialMonthCell", { month: f.month(v as string) }) : f.month(v as string)) },
    { key: "running_pairs", label: pt("colRunning"), numeric: true, format: n0 },
    { key: "pairs_with_meeting", label: pt("colMet"), numeric: true, format: n0 },
    { key: "share_with_meeting", label: pt("colShare"), numeric: true, format: (v) => f.percent(v as number) },
  ];
  const partialMonth = regularity.find((r) => r.partial);
  const regularityCaption = partialMonth
    ? `${pt("regularityCaption")} ${pt("partialMonthCaption", { month: f.month(partialMonth.month), days: String(daysIntoMonth(asOf)) })}`
    : pt("regularityCaption");
  const terminationColumns: DataColumn<TerminationRow>[] = [
    { key: "reason", label: pt("colReason"), format: (v) => (v === "unknown" ? pt("unknownReason") : String(v)) },
    { key: "pairs", label: pt("colPairs"), numeric: true, format: n0 },
    { key: "participants", label: pt("colParticipants"), numeric: true, format: n0 },
  ];
  const atRiskColumns: DataColumn<(typeof atRiskReasons)[number]>[] = [
    { key: "label", label: pt("colReason") },
    { key: "pairs", label: pt("colPairs"), numeric: true, format: n0 },
  ];
  // Breakdowns of fewer than k people are not drawn at all (docs/privacy.md, rule 2).
  const phaseNames = withheld.satisfaction.map((p) => (p === "midpoint" ? pt("midpoint") : pt("final"))).join(", ");
  // Every bar with answers hidden (the means beside them would give a shown one's neighbours away): say why.
  const allBarsHidden = satisfaction.some((r) => r.suppressed) && satisfaction.every((r) => r.suppressed || (r.answers ?? 0) === 0);
  const satisfactionNote =
    withheld.satisfaction.length > 0 && satisfaction.length > 0
      ? pt("phaseWithheld", { phases: phaseNames, k: String(k) })
      : allBarsHidden
        ? pt("allBarsHidden", { k: String(k) })
        : undefined;
  const satisfactionEmpty = withheld.satisfaction.length > 0 ? pt("allPhasesWithheld", { k: String(k) }) : undefined;
  const terminationsEmpty = withheld.terminations ? pt("terminationsWithheld", { k: String(k) }) : undefined;
  const finished = s.completed_pairs === null || s.ended_early_pairs === null ? null : s.completed_pairs + s.ended_early_pairs;
  const tiles = [
    { key: "midpoint_satisfaction_mean", title: pt("midpointMean"), value: s.midpoint_satisfaction_mean, text: f.number(s.midpoint_satisfaction_mean, 2), detail: pt("outOf5", { n: n0(s.midpoint_respondents) }) },
    { key: "final_satisfaction_mean", title: pt("finalMean"), value: s.final_satisfaction_mean, text: f.number(s.final_satisfaction_mean, 2), detail: pt("outOf5", { n: n0(s.final_respondents) }) },
    { key: "midpoint_response_rate", title: pt("responseRate"), value: s.midpoint_response_rate, text: f.percent(s.midpoint_response_rate), detail: pt("responseDetail") },
    { key: "meeting_regularity", title: pt("regularity"), value: s.meeting_regularity, text: f.percent(s.meeting_regularity), detail: pt("regularityDetail") },
    { key: "early_termination_rate", title: pt("earlyRate"), value: s.early_termination_rate, text: f.percent(s.early_termination_rate), detail: pt("earlyDetail", { early: n0(s.ended_early_pairs), finished: n0(finished) }) },
    { key: "at_risk_pairs", title: pt("atRisk"), value: s.at_risk_pairs, text: n0(s.at_risk_pairs), detail: pt("atRiskDetail", { flagged: n0(s.midpoint_flagged_pairs) }) },
  ];
  return (
    <section className="quality" data-page="quality">
      <h2 className="visually-hidden">{pt("title")}</h2>
      {s.suppressed ? <p className="notice">{pt("summaryHidden")}</p> : null}
      <div className="tiles">
        {tiles.map((tile) => (
          <section key={tile.key} className="tile" data-tile={tile.key} data-value={tile.value === null ? "" : String(tile.value)}>
            <h3>{tile.title}</h3>
            <p className="value">{tile.value === null && s.suppressed_fields.includes(tile.key) ? t("value.hidden") : tile.text}</p>
            <p className="detail">{tile.detail}</p>
          </section>
        ))}
      </div>
      <div className="charts">
        <ChartFigure id="satisfaction" title={pt("satisfactionChart")} caption={pt("satisfactionCaption")} chart={charts.satisfaction} rows={satisfaction} columns={satisfactionColumns} note={satisfactionNote} emptyText={satisfactionEmpty} />
        <ChartFigure id="meeting-regularity" title={pt("regularityChart")} caption={regularityCaption} chart={charts.regularity} rows={regularity} columns={regularityColumns} emptyText={s.suppressed ? pt("summaryHidden") : undefined} />
        <ChartFigure id="early-terminations" title={pt("terminationsChart")} caption={pt("terminationsCaption")} chart={charts.terminations} rows={terminations} columns={terminationColumns} emptyText={terminationsEmpty} />
        <ChartFigure id="at-risk-reasons" title={pt("atRiskChart")} caption={pt("atRiskCaption")} chart={charts.atRisk} rows={atRiskReasons} columns={atRiskColumns} emptyText={s.at_risk_pairs === null ? pt("summaryHidden") : pt("atRiskNone")} />
      </div>
      <section className="section" data-section="at-risk-pairs">
        <h2>{pt("atRiskList")}</h2>
        {!canSeeIndividuals || atRisk === null ? (
          <p className="notice">{t("notice.individualsHidden")}</p>
        ) : atRisk.length === 0 ? (
          <p className="empty">{pt("atRiskNone")}</p>
        ) : (
          <>
            <p className="lead">{pt("atRiskListNote")}</p>
            <AtRiskTable rows={atRisk} />
            {s.at_risk_pairs !== null && s.at_risk_pairs > atRisk.length ? (
              <p className="note">{pt("atRiskMore", { shown: f.number(atRisk.length, 0), total: f.number(s.at_risk_pairs, 0) })}</p>
            ) : null}
            <p className="chart-downloads no-print">
              <Link to={`/programs/${encodeURIComponent(programId)}/attention${search}`} data-link="attention">
                {at("tileLink")}
              </Link>{" "}
              ·{" "}
              <a href={`/api/programs/${encodeURIComponent(programId)}/pairs.arrow${search}`} data-download="arrow">
                {pt("downloadArrow")}
              </a>
            </p>
          </>
        )}
      </section>
    </section>
  );
}

function AtRiskTable({ rows }: { rows: AtRiskPair[] }) {
  const { f } = useT();
  const pt = usePageT(qualityMessages);
  const person = (id: string | null, org: string) => (id === null ? pt("otherOrg") : `${id} (${org})`);
  return (
    <table className="data" aria-label={pt("atRiskList")} data-testid="at-risk-pairs">
      <thead>
        <tr>
          <th scope="col">{pt("colPair")}</th>
          <th scope="col">{pt("colMentor")}</th>
          <th scope="col">{pt("colMentee")}</th>
          <th scope="col">{pt("colMatched")}</th>
          <th scope="col">{pt("colLastMeeting")}</th>
          <th scope="col">{pt("colWhy")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.pair_id} data-pair-id={r.pair_id}>
            <td>{r.pair_id}</td>
            <td>{person(r.mentor_id, r.mentor_org_id)}</td>
            <td>{person(r.mentee_id, r.mentee_org_id)}</td>
            <td>{f.date(r.matched_at)}</td>
            <td>{f.date(r.last_meeting_date)}</td>
            <td>
              {[r.flagged_at_midpoint && pt("reasonFlagged"), r.no_midpoint_evaluation && pt("reasonNoMidpoint"), r.no_recent_meeting && pt("reasonNoMeeting")]
                .filter(Boolean)
                .join(" · ")}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
