import { Form, Link } from "@remix-run/react";
import type { ComparisonRow, FairnessRow, ResultView } from "../../../analytics/dashboards/simulations.server.ts";
import type { JobStatus } from "../../../analytics/matching/jobs.server.ts";
import type { MessageKey } from "../../i18n/messages.ts";
import { simulationsMessages } from "../../i18n/pages/simulations.ts";
import { usePageT, useT } from "../../i18n/use-t.ts";
import { ChartFigure, type DataColumn } from "../ChartFigure.tsx";
import type { RenderedChart } from "../charts/render.server.ts";
import { useStrategyLabel, type SimulationsKey } from "./strategy-label.ts";

export interface SimulationCharts {
  success: RenderedChart | null;
  reach: RenderedChart | null;
  fairness: RenderedChart | null;
}

interface Props {
  view: ResultView;
  charts: SimulationCharts;
  /** The job shown (null: a stored run). */
  job: JobStatus | null;
  runId: number | null;
  stored: { created_at: string; code_version: string } | null;
  canRun: boolean;
  canInspect: boolean;
  busy: boolean;
}

/** One result (a finished job or a stored run): parameters, model provenance, the comparison table and its charts. */
export function SimulationResult({ view, charts, job, runId, stored, canRun, canInspect, busy }: Props) {
  const { f, t } = useT();
  const pt = usePageT(simulationsMessages);
  const label = useStrategyLabel();
  const pct = (v: unknown) => f.percent(v as number | null);
  const num = (v: unknown, digits = 2) => f.number(v as number | null, digits);
  const comparisonColumns: DataColumn<ComparisonRow>[] = [
    { key: "strategy", label: pt("col.strategy"), format: label },
    { key: "runs", label: pt("col.runs"), numeric: true, format: (v) => num(v, 0) },
    { key: "pairs", label: pt("col.pairs"), numeric: true, format: (v) => num(v, 1) },
    { key: "coverage", label: pt("col.coverage"), numeric: true, format: pct },
    { key: "compatibility_mean", label: pt("col.compatibility"), numeric: true, format: (v) => num(v, 3) },
    { key: "predicted_success", label: pt("col.success"), numeric: true, format: pct },
    { key: "predicted_success_low", label: pt("col.low"), numeric: true, format: pct },
    { key: "predicted_success_high", label: pt("col.high"), numeric: true, format: pct },
    { key: "cross_generation_rate", label: pt("col.crossGeneration"), numeric: true, format: pct },
    { key: "cross_company_rate", label: pt("col.crossCompany"), numeric: true, format: pct },
    { key: "median_age_gap_years", label: pt("col.gap"), numeric: true, format: (v) => num(v, 1) },
    { key: "blocking_pairs", label: pt("col.blocking"), numeric: true, format: (v) => num(v, 1) },
    { key: "fairness_gap_organization", label: pt("col.gapOrg"), numeric: true, format: pct },
    { key: "fairness_gap_generation", label: pt("col.gapGen"), numeric: true, format: pct },
  ];
  const fairnessColumns: DataColumn<FairnessRow>[] = [
    { key: "strategy", label: pt("col.strategy"), format: label },
    { key: "dimension", label: pt("col.dimension"), format: (v) => pt(`dimension.${String(v)}` as SimulationsKey) },
    { key: "group", label: pt("col.group"), format: (v, r) => (r.dimension === "generation" ? t(`generation.${String(v)}` as MessageKey) : r.label || String(v)) },
    { key: "mentees", label: pt("col.mentees"), numeric: true, format: (v) => num(v, 0) },
    { key: "coverage", label: pt("col.coverage"), numeric: true, format: pct },
    { key: "predicted_success", label: pt("col.success"), numeric: true, format: pct },
    { key: "success_per_mentee", label: pt("col.successPerMentee"), numeric: true, format: pct },
  ];
  return (
    <div className="section" data-result="true">
      <h3>{pt("result.title")}</h3>
      <p>
        {runId !== null && stored
          ? pt("result.run", { id: runId, date: f.date(stored.created_at.slice(0, 10)), seed: view.parameters.seed, runs: view.parameters.runs, code: stored.code_version })
          : pt("result.job", { seed: view.parameters.seed, runs: view.parameters.runs })}{" "}
        {job && job.run_id !== null ? pt("result.kept", { id: job.run_id }) : null}
      </p>
      {job && job.run_id === null && canRun ? (
        <Form method="post">
          <input type="hidden" name="intent" value="keep" />
          <input type="hidden" name="job" value={job.id} />
          <button type="submit" data-action="keep" disabled={busy}>
            {pt("result.keep")}
          </button>
        </Form>
      ) : null}
      <ModelProvenance model={view.model} />
      <ValidationNote view={view} />
      {view.skipped.map((s) => (
        <p key={s.strategy} className="note">
          {pt("result.skipped", { strategy: label(s.strategy), reason: s.reason })}
        </p>
      ))}
      <div className="table-scroll">
        <table className="data" data-table="comparison">
          <thead>
            <tr>
              {comparisonColumns.map((c) => (
                <th key={c.key} scope="col" className={c.numeric ? "num" : undefined}>
                  {c.label}
                </th>
              ))}
              {canInspect ? <th scope="col">{pt("col.inspect")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {view.comparison.map((row) => (
              <tr key={row.strategy} data-strategy={row.strategy}>
                {comparisonColumns.map((c) => (
                  <td key={c.key} className={c.numeric ? "num" : undefined}>
                    {row[c.key] === null ? "–" : c.format ? c.format(row[c.key], row) : String(row[c.key])}
                  </td>
                ))}
                {canInspect ? (
                  <td>
                    <InspectLink strategy={row.strategy} job={job} runId={runId} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <QuotaTable view={view} label={label} />
      <div className="charts section">
        <ChartFigure
          id="simulations-success"
          title={pt("chart.success.title")}
          caption={pt("chart.success.caption")}
          chart={charts.success}
          rows={view.comparison}
          columns={comparisonColumns.filter((c) => ["strategy", "predicted_success", "predicted_success_low", "predicted_success_high"].includes(c.key))}
        />
        <ChartFigure
          id="simulations-reach"
          title={pt("chart.reach.title")}
          caption={pt("chart.reach.caption")}
          chart={charts.reach}
          rows={view.comparison}
          columns={comparisonColumns.filter((c) => ["strategy", "coverage", "cross_generation_rate", "cross_company_rate"].includes(c.key))}
        />
      </div>
      <ChartFigure
        id="simulations-fairness"
        title={pt("chart.fairness.title")}
        caption={pt("chart.fairness.caption")}
        chart={charts.fairness}
        rows={view.fairness}
        columns={fairnessColumns}
      />
    </div>
  );
}

/** A strategy's pairs: a link for a job in memory, a replay (a new job) for a stored run. */
function InspectLink({ strategy, job, runId }: { strategy: string; job: JobStatus | null; runId: number | null }) {
  const pt = usePageT(simulationsMessages);
  if (job) {
    return (
      <Link to={`?job=${job.id}&inspect=${strategy}`} data-inspect={strategy}>
        {pt("inspect.link")}
      </Link>
    );
  }
  if (runId === null) return null;
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="replay" />
      <input type="hidden" name="run" value={runId} />
      <input type="hidden" name="strategy" value={strategy} />
      <button type="submit" className="link-button" data-inspect={strategy}>
        {pt("inspect.link")}
      </button>
    </Form>
  );
}

/** The price of each quota for optimal and learned (quotasView), when the run priced quotas. */
function QuotaTable({ view, label }: { view: ResultView; label: (s: string) => string }) {
  const { f } = useT();
  const pt = usePageT(simulationsMessages);
  const q = view.quotas;
  if (!q) return null;
  return (
    <div className="section" data-quotas-result="true">
      <h4>{pt("quotas.title")}</h4>
      <p className="note">
        <small>{pt("quotas.caption", { quotas: Object.entries(q.quotas).map(([k, v]) => `${pt(`quota.${k}` as SimulationsKey)} ≥ ${f.percent(v as number)}`).join(", ") })}</small>
      </p>
      {q.note ? <p className="note">{q.note}</p> : null}
      <div className="table-scroll">
        <table className="data" data-table="quotas">
          <thead>
            <tr>
              <th scope="col">{pt("quotas.col.strategy")}</th>
              <th scope="col">{pt("quotas.col.quota")}</th>
              <th scope="col" className="num">{pt("quotas.col.pairs")}</th>
              <th scope="col" className="num">{pt("quotas.col.expected")}</th>
              <th scope="col" className="num">{pt("quotas.col.price")}</th>
            </tr>
          </thead>
          <tbody>
            {q.strategies.flatMap((s) =>
              s.prices.map((p) => (
                <tr key={`${s.strategy}-${p.quota}`} data-strategy={s.strategy} data-quota={p.quota}>
                  <td>{label(s.strategy)}</td>
                  <td>{p.quota === "all" ? pt("quotas.all") : pt(`quota.${p.quota}` as SimulationsKey)}</td>
                  {p.status === "optimal" ? (
                    <>
                      <td className="num">{f.number(p.pairs)}</td>
                      <td className="num">{f.number(p.expected_successes, 1)}</td>
                      <td className="num">
                        {f.number(p.price, 1)} [{f.number(p.price_interval?.[0] ?? null, 1)} … {f.number(p.price_interval?.[1] ?? null, 1)}]
                      </td>
                    </>
                  ) : (
                    <td colSpan={3}>{(p.status === "infeasible" ? pt("quotas.infeasible") : pt("quotas.notComputed")) + " " + p.reasons.join("; ")}</td>
                  )}
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Which validity figure is shown (out of time when the data allow it) and the second one (validationView). */
function ValidationNote({ view }: { view: ResultView }) {
  const { f } = useT();
  const pt = usePageT(simulationsMessages);
  const v = view.validation;
  if (!v || view.model.status !== "ok") return null;
  const cvAuc = f.number(view.model.held_out.auc, 3);
  const o = v.out_of_time;
  return (
    <p className="note" data-validation={v.headline}>
      <small>
        {o
          ? (o.method === "editions"
              ? pt("result.validationEditions", { programs: o.programs.join(", "), train: f.number(o.train_labelled), test: f.number(o.test_labelled), auc: f.number(o.auc, 3), brier: f.number(o.brier, 3) })
              : pt("result.validationIntake", {
                  trainMonths: o.train_months.join(", "),
                  testMonths: o.test_months.join(", "),
                  train: f.number(o.train_labelled),
                  test: f.number(o.test_labelled),
                  auc: f.number(o.auc, 3),
                  brier: f.number(o.brier, 3),
                })) +
            " " +
            pt("result.validationSecond", { auc: cvAuc })
          : pt("result.validationCv", { reason: v.out_of_time_reason ?? "" })}
      </small>
    </p>
  );
}

/** What the outcome model learned from, as the reader may see it (modelView). */
function ModelProvenance({ model }: { model: ResultView["model"] | undefined }) {
  const { f } = useT();
  const pt = usePageT(simulationsMessages);
  return (
    <p className="note" data-model-provenance="true">
      <small>
        {model?.status === "ok"
          ? model.labelled === null
            ? pt("result.modelNoCounts", { auc: f.number(model.held_out.auc, 3), brier: f.number(model.held_out.brier, 3) })
            : pt("result.model", {
                labelled: f.number(model.labelled),
                successes: f.number(model.successes),
                auc: f.number(model.held_out.auc, 3),
                brier: f.number(model.held_out.brier, 3),
              })
          : model
            ? pt("result.noModel", { message: model.message })
            : null}{" "}
        {model && model.other_programs > 0
          ? model.trained_on.length > 0
            ? model.other_programs === 1
              ? pt("result.trainedOnOneOther", { programs: model.trained_on.join(", ") })
              : pt("result.trainedOnOthers", { programs: model.trained_on.join(", "), n: f.number(model.other_programs) })
            : model.other_programs === 1
              ? pt("result.trainedOnOnlyOneOther")
              : pt("result.trainedOnOnlyOthers", { n: f.number(model.other_programs) })
          : model && model.trained_on.length > 0
            ? pt("result.trainedOn", { programs: model.trained_on.join(", ") })
            : null}
      </small>
    </p>
  );
}
