import type { ActionFunctionArgs, HeadersArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { recordAudit } from "../../analytics/auth/audit.server.ts";
import { requireProgram } from "../../analytics/auth/request.server.ts";
import { canSeeIndividuals, individualsOrg } from "../../analytics/auth/scope.server.ts";
import { dashboardContext } from "../../analytics/dashboards/context.server.ts";
import {
  listStoredRuns,
  openTrainingPrograms,
  resultView,
  storedRunResult,
  type ComparisonRow,
  type FairnessRow,
} from "../../analytics/dashboards/simulations.server.ts";
import {
  getJobStatus,
  jobPairs,
  jobResult,
  keepJob,
  parseSimulationRequest,
  replayRequest,
  startSimulation,
  STRATEGIES,
  SimulationNotAllowedError,
  TooManySimulationsError,
  type JobStatus,
  type SimulatedPair,
  type StrategyName,
} from "../../analytics/matching/jobs.server.ts";
import { canRunSimulations, LIMITS, SIMULATION_STRATEGIES, WEIGHT_NAMES } from "../../analytics/matching/simulation-options.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";
import { defaultWeights } from "../../analytics/matching/weights.ts";
import { ChartFigure, type DataColumn } from "../components/ChartFigure.tsx";
import { RouteError } from "../components/RouteError.tsx";
import { groupedBarsChart } from "../components/charts/grouped-bars.ts";
import { renderChart } from "../components/charts/render.server.ts";
import { simulationsSuccessChart } from "../components/charts/simulations-success.ts";
import { localeFromRequest } from "../i18n/locale.ts";
import type { MessageKey } from "../i18n/messages.ts";
import { simulationsMessages } from "../i18n/pages/simulations.ts";
import { pageTranslator, translate } from "../i18n/translate.ts";
import { usePageT, useT } from "../i18n/use-t.ts";

const HALF = 500;
const PAIRS_SHOWN = 200;
type PageKey = keyof typeof simulationsMessages.en;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signed = await requireProgram(request, params.programId);
  const ctx = await dashboardContext(signed, request, params.programId!);
  const programId = params.programId!;
  const db = await getAppDb();
  const locale = localeFromRequest(request);
  const pt = pageTranslator(simulationsMessages, locale);
  const url = new URL(request.url);
  const jobId = url.searchParams.get("job");
  const runParam = url.searchParams.get("run");
  const inspect = url.searchParams.get("inspect");

  const storedRuns = await listStoredRuns(db, programId);
  let job: JobStatus | null = null;
  let jobMissing = false;
  let stored: Awaited<ReturnType<typeof storedRunResult>> = null;
  let runId: number | null = null;
  let result = null;
  if (jobId) {
    // Another user's job reads as an unknown one (404), never as forbidden: its existence is not told.
    job = getJobStatus(programId, jobId, ctx.scope);
    jobMissing = job === null;
    result = job?.status === "done" ? jobResult(programId, jobId, ctx.scope) : null;
  } else if (runParam && /^\d{1,9}$/.test(runParam)) {
    runId = Number(runParam);
    stored = await storedRunResult(db, programId, runId);
    if (!stored) throw data("This run does not exist for this program.", { status: 404 });
    result = stored.result;
  }
  const open = result && ctx.audience !== "admin" ? await openTrainingPrograms(db, ctx.scope, result) : undefined;
  const view = result ? resultView(result, ctx.audience, ctx.orgId, ctx.k ?? undefined, open) : null;
  const label = (s: string) => pt(`strategy.${s}` as PageKey).split(" (")[0];
  const charts = view
    ? {
        success: renderChart(
          simulationsSuccessChart,
          view.comparison.map((r) => ({ strategy: label(r.strategy), mean: r.predicted_success, low: r.predicted_success_low, high: r.predicted_success_high })),
          { width: HALF, locale },
        ),
        reach: renderChart(
          groupedBarsChart,
          view.comparison.flatMap((r) => [
            { x: label(r.strategy), series: pt("metric.coverage"), value: r.coverage },
            { x: label(r.strategy), series: pt("metric.crossGeneration"), value: r.cross_generation_rate },
            { x: label(r.strategy), series: pt("metric.crossCompany"), value: r.cross_company_rate },
          ]),
          { width: HALF, locale, percent: true },
        ),
        fairness: renderChart(
          groupedBarsChart,
          view.fairness
            .filter((r) => r.dimension === "generation")
            .map((r) => ({ x: translate(locale, `generation.${r.group}` as MessageKey), series: label(r.strategy), value: r.success_per_mentee })),
          { width: HALF * 2, locale, percent: true },
        ),
      }
    : null;

  // Individual pairs: admin, and HR for the pairs with a member of its organization; audited.
  let pairs: SimulatedPair[] | null = null;
  const canInspect = canSeeIndividuals(ctx.scope);
  if (inspect && job?.status === "done" && jobId && canInspect) {
    const who = individualsOrg(ctx.scope);
    pairs = who === null ? null : jobPairs(programId, jobId, inspect, who);
    if (pairs) {
      await recordAudit(db, ctx.scope, "view_individuals", { programId, page: "simulations", strategy: inspect, job: jobId, rows: pairs.length });
    }
  }
  const payload = {
    programId,
    storedRuns,
    job,
    jobMissing,
    runId,
    stored: stored ? { created_at: stored.created_at, code_version: stored.code_version } : null,
    view,
    charts,
    inspect: pairs ? inspect : null,
    pairs,
    canInspect,
    canRun: canRunSimulations(ctx.scope.role),
    defaults: defaultWeights(),
  };
  return data(payload, { status: jobMissing ? 404 : 200 });
}

/** The Retry-After of a refused start reaches the document response too. */
export function headers({ actionHeaders }: HeadersArgs) {
  const retry = actionHeaders.get("Retry-After");
  return retry ? { "Retry-After": retry } : {};
}

export async function action({ request, params }: ActionFunctionArgs) {
  const signed = await requireProgram(request, params.programId);
  const programId = params.programId!;
  // Starting and keeping runs is for admin and hr (docs/decisions/0012-simulation-jobs.md).
  if (!canRunSimulations(signed.scope.role)) throw data("Your role reads kept simulation runs; it does not start or keep them.", { status: 403 });
  const db = await getAppDb();
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const base = `/programs/${encodeURIComponent(programId)}/simulations`;
  try {
    if (intent === "start") {
      const jobId = await startSimulation(db, programId, signed.scope, parseSimulationRequest(form));
      if (!jobId) throw data("This program does not exist.", { status: 404 });
      return redirect(`${base}?job=${jobId}`);
    }
    if (intent === "keep") {
      const runId = await keepJob(db, programId, String(form.get("job") ?? ""), signed.scope);
      if (runId === null) return { error: "This simulation is not finished or no longer in memory." };
      return redirect(`${base}?run=${runId}`);
    }
    if (intent === "replay") {
      if (!canSeeIndividuals(signed.scope)) throw data("Individual pairs are not shown to your role.", { status: 403 });
      const stored = await storedRunResult(db, programId, Number(form.get("run")));
      const strategy = String(form.get("strategy") ?? "");
      if (!stored || !(STRATEGIES as readonly string[]).includes(strategy)) return { error: "Unknown run or strategy." };
      const jobId = await startSimulation(db, programId, signed.scope, replayRequest(stored.result, strategy as StrategyName));
      return redirect(`${base}?job=${jobId}&inspect=${encodeURIComponent(strategy)}`);
    }
    return { error: `Unknown action: ${intent.slice(0, 20)}` };
  } catch (error) {
    if (error instanceof TooManySimulationsError) return data({ error: error.message }, { status: 429, headers: { "Retry-After": "30" } });
    if (error instanceof SimulationNotAllowedError) return data({ error: error.message }, { status: 403 });
    if (error instanceof RangeError) return { error: error.message };
    if (error instanceof Error && error.name === "WeightsError") return { error: error.message };
    throw error;
  }
}

function Progress({ programId, job }: { programId: string; job: JobStatus }) {
  const pt = usePageT(simulationsMessages);
  const { f } = useT();
  const revalidator = useRevalidator();
  const [status, setStatus] = useState(job);
  useEffect(() => {
    if (status.status !== "running") return;
    let stopped = false;
    const timer = setInterval(async () => {
      const response = await fetch(`/api/programs/${encodeURIComponent(programId)}/simulations/jobs/${job.id}`, { headers: { Accept: "application/json" } });
      if (stopped || !response.ok) return;
      const next = (await response.json()) as JobStatus;
      setStatus(next);
      if (next.status !== "running") {
        clearInterval(timer);
        revalidator.revalidate();
      }
    }, 400);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [programId, job.id, status.status, revalidator]);
  if (status.status === "failed") return <p className="notice" data-job-status="failed">{pt("progress.failed", { error: status.error ?? "" })}</p>;
  if (status.status !== "running") return null;
  return (
    <div className="notice" data-job-status="running" aria-live="polite">
      <noscript>
        <meta httpEquiv="refresh" content="2" />
      </noscript>
      <strong>{pt("progress.title")}</strong>
      <br />
      <progress max={status.total} value={status.done} style={{ width: "100%" }} />
      <br />
      <small>{pt("progress.text", { done: f.number(status.done), total: f.number(status.total), label: status.label || "…" })}</small>
    </div>
  );
}

export default function SimulationsPage() {
  const { programId, storedRuns, job, jobMissing, runId, stored, view, charts, inspect, pairs, canInspect, canRun, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { f, t } = useT();
  const pt = usePageT(simulationsMessages);
  const label = (s: unknown) => pt(`strategy.${String(s)}` as PageKey).split(" (")[0];
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
    { key: "dimension", label: pt("col.dimension"), format: (v) => pt(`dimension.${String(v)}` as PageKey) },
    { key: "group", label: pt("col.group"), format: (v, r) => (r.dimension === "generation" ? t(`generation.${String(v)}` as MessageKey) : r.label || String(v)) },
    { key: "mentees", label: pt("col.mentees"), numeric: true, format: (v) => num(v, 0) },
    { key: "coverage", label: pt("col.coverage"), numeric: true, format: pct },
    { key: "predicted_success", label: pt("col.success"), numeric: true, format: pct },
    { key: "success_per_mentee", label: pt("col.successPerMentee"), numeric: true, format: pct },
  ];
  const pairColumns: { key: keyof SimulatedPair & string; label: string }[] = [
    { key: "mentee_id", label: pt("col.mentee") },
    { key: "mentee_org_id", label: pt("col.menteeOrg") },
    { key: "mentee_generation", label: pt("col.menteeGen") },
    { key: "mentor_id", label: pt("col.mentor") },
    { key: "mentor_org_id", label: pt("col.mentorOrg") },
    { key: "mentor_generation", label: pt("col.mentorGen") },
    { key: "age_gap_years", label: pt("col.ageGap") },
    { key: "compatibility", label: pt("col.compatibility") },
  ];
  const model = view?.model;
  const busy = navigation.state === "submitting";
  return (
    <section className="dashboard" data-page="simulations">
      <h2>{pt("title")}</h2>
      <p className="lead">{pt("intro")}</p>
      <p className="note">
        <small>{pt("filtersNote")}</small>
      </p>
      {actionData && "error" in actionData ? (
        <p className="notice" role="alert" data-error="true">
          {actionData.error}
        </p>
      ) : null}

      {canRun ? (
        <details className="section" open={!view && !job}>
          <summary>
            <strong>{pt("form.title")}</strong>
          </summary>
          <Form method="post" className="filters" data-testid="simulation-form">
            <input type="hidden" name="intent" value="start" />
            <fieldset style={{ border: "none", padding: 0 }}>
              <legend>{pt("form.strategies")}</legend>
              {SIMULATION_STRATEGIES.map((s) => (
                <label key={s} style={{ flexDirection: "row", gap: "0.3rem" }}>
                  <input type="checkbox" name="strategy" value={s} defaultChecked={s !== "greedy"} /> {pt(`strategy.${s}` as PageKey)}
                </label>
              ))}
            </fieldset>
            <fieldset style={{ border: "none", padding: 0, display: "flex", flexWrap: "wrap", gap: "0.5rem" }}>
              <legend>{pt("form.weights")}</legend>
              {WEIGHT_NAMES.map((w) => (
                <label key={w}>
                  {pt(`weight.${w}` as PageKey)}
                  <input type="number" name={`w_${w}`} min={0} max={10} step={0.05} defaultValue={defaults.weights[w]} style={{ width: "6em" }} />
                </label>
              ))}
              <label>
                {pt("form.reach")}
                <input type="number" name="reach_cross_generation" min={0} max={10} step={0.05} defaultValue={defaults.reach_bonus.cross_generation} style={{ width: "6em" }} />
              </label>
            </fieldset>
            <label>
              {pt("form.runs")}
              <input type="number" name="runs" min={LIMITS.runs.min} max={LIMITS.runs.max} defaultValue={LIMITS.runs.default} style={{ width: "6em" }} />
            </label>
            <label>
              {pt("form.seed")}
              <input type="number" name="seed" min={0} defaultValue={1} style={{ width: "8em" }} />
            </label>
            <label>
              {pt("form.bootstrap")}
              <input type="number" name="bootstrap" min={LIMITS.bootstrap.min} max={LIMITS.bootstrap.max} defaultValue={LIMITS.bootstrap.default} style={{ width: "6em" }} />
            </label>
            <button type="submit" disabled={busy} data-action="start">
              {pt("form.start")}
            </button>
          </Form>
        </details>
      ) : (
        <p className="note">{pt("form.readOnly")}</p>
      )}

      {jobMissing ? <p className="notice">{pt("progress.expired")}</p> : null}
      {job ? <Progress key={job.id} programId={programId} job={job} /> : null}

      {view && charts ? (
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
          {view.skipped.map((s) => (
            <p key={s.strategy} className="note">
              {pt("result.skipped", { strategy: label(s.strategy), reason: s.reason })}
            </p>
          ))}
          <div className="table-scroll" style={{ overflowX: "auto" }}>
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
                        {job ? (
                          <Link to={`?job=${job.id}&inspect=${row.strategy}`} data-inspect={row.strategy}>
                            {pt("inspect.link")}
                          </Link>
                        ) : runId !== null ? (
                          <Form method="post">
                            <input type="hidden" name="intent" value="replay" />
                            <input type="hidden" name="run" value={runId} />
                            <input type="hidden" name="strategy" value={row.strategy} />
                            <button type="submit" className="link-button" data-inspect={row.strategy}>
                              {pt("inspect.link")}
                            </button>
                          </Form>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
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
      ) : null}

      {pairs && inspect ? (
        <div className="section" data-pairs={inspect}>
          <h3>{pt("inspect.title", { strategy: label(inspect) })}</h3>
          <p className="note">
            <small>{pt("inspect.note")}</small>
          </p>
          <p>
            {pt("inspect.count", { n: f.number(pairs.length) })}
            {pairs.length > PAIRS_SHOWN ? ` ${pt("inspect.more", { shown: PAIRS_SHOWN, n: f.number(pairs.length) })}` : null}{" "}
            <a
              href={`/api/programs/${encodeURIComponent(programId)}/simulations/jobs/${job?.id}/pairs.csv?strategy=${encodeURIComponent(inspect)}`}
              download={`simulation-${inspect}-pairs.csv`}
              data-download="pairs-csv"
            >
              {pt("inspect.csv")}
            </a>
          </p>
          <table className="data" data-table="pairs">
            <thead>
              <tr>
                {pairColumns.map((c) => (
                  <th key={c.key} scope="col">
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {pairs.slice(0, PAIRS_SHOWN).map((p, i) => (
                <tr key={i}>
                  <td>{p.mentee_id ?? "—"}</td>
                  <td>{p.mentee_org_id}</td>
                  <td>{t(`generation.${p.mentee_generation}` as MessageKey)}</td>
                  <td>{p.mentor_id ?? "—"}</td>
                  <td>{p.mentor_org_id}</td>
                  <td>{t(`generation.${p.mentor_generation}` as MessageKey)}</td>
                  <td className="num">{f.number(p.age_gap_years)}</td>
                  <td className="num">{f.number(p.compatibility, 3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      <div className="section">
        <h3>{pt("runs.title")}</h3>
        {storedRuns.length === 0 ? (
          <p className="empty" data-empty="runs">
            {pt("runs.empty")}
          </p>
        ) : (
          <table className="data" data-table="runs">
            <thead>
              <tr>
                <th scope="col">{pt("col.run")}</th>
                <th scope="col">{pt("col.date")}</th>
                <th scope="col">{pt("col.strategies")}</th>
                <th scope="col" className="num">{pt("col.seed")}</th>
                <th scope="col" className="num">{pt("col.runs")}</th>
                <th scope="col" className="num">{pt("col.elapsed")}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {storedRuns.map((r) => (
                <tr key={r.run_id} data-run-id={r.run_id} className={r.run_id === runId ? "active" : undefined}>
                  <td>#{r.run_id}</td>
                  <td>{f.date(String(r.created_at).slice(0, 10))}</td>
                  <td>{r.strategies.map(label).join(", ")}</td>
                  <td className="num">{r.seed}</td>
                  <td className="num">{r.runs}</td>
                  <td className="num">{r.elapsed_ms === null ? "–" : f.number(r.elapsed_ms / 1000, 1)}</td>
                  <td>
                    <Link to={`?run=${r.run_id}`}>{pt("runs.open")}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
