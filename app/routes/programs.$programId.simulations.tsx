import type { ActionFunctionArgs, HeadersArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { recordAudit } from "../../analytics/auth/audit.server.ts";
import { requireProgram } from "../../analytics/auth/request.server.ts";
import { canSeeIndividuals, individualsOrg } from "../../analytics/auth/scope.server.ts";
import { dashboardContext } from "../../analytics/dashboards/context.server.ts";
import {
  listStoredRuns,
  openTrainingPrograms,
  readerResultView,
  jobPairs,
  storedRunResult,
  type SimulatedPair,
} from "../../analytics/dashboards/simulations.server.ts";
import {
  getJobStatus,
  jobResult,
  keepJob,
  parseSimulationRequest,
  replayRequest,
  startSimulation,
  STRATEGIES,
  SimulationNotAllowedError,
  TooManySimulationsError,
  type JobStatus,
  type StrategyName,
} from "../../analytics/matching/jobs.server.ts";
import { canRunSimulations } from "../../analytics/matching/simulation-options.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";
import { defaultWeights } from "../../analytics/matching/weights.ts";
import type { ProgramPageHandle } from "../components/FiltersBar.tsx";
import { RouteError } from "../components/RouteError.tsx";
import { JobProgress } from "../components/simulations/JobProgress.tsx";
import { SimulatedPairs } from "../components/simulations/SimulatedPairs.tsx";
import { SimulationForm } from "../components/simulations/SimulationForm.tsx";
import { SimulationResult } from "../components/simulations/SimulationResult.tsx";
import { StoredRuns } from "../components/simulations/StoredRuns.tsx";
import { groupedBarsChart } from "../components/charts/grouped-bars.ts";
import { PHONE_WIDTH, renderChart } from "../components/charts/render.server.ts";
import { simulationsSuccessChart } from "../components/charts/simulations-success.ts";
import { localeFromRequest } from "../i18n/locale.ts";
import type { MessageKey } from "../i18n/messages.ts";
import { simulationsMessages } from "../i18n/pages/simulations.ts";
import { pageTranslator, translate } from "../i18n/translate.ts";
import { usePageT } from "../i18n/use-t.ts";

const HALF = 500;
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
  const view = result ? await readerResultView(db, result, ctx, open) : null;
  const label = (s: string) => pt(`strategy.${s}` as PageKey).split(" (")[0];
  const charts = view
    ? {
        success: renderChart(
          simulationsSuccessChart,
          view.comparison.map((r) => ({ strategy: label(r.strategy), mean: r.predicted_success, low: r.predicted_success_low, high: r.predicted_success_high })),
          { width: HALF, phoneWidth: PHONE_WIDTH, locale },
        ),
        reach: renderChart(
          groupedBarsChart,
          view.comparison.flatMap((r) => [
            { x: label(r.strategy), series: pt("metric.coverage"), value: r.coverage },
            { x: label(r.strategy), series: pt("metric.crossGeneration"), value: r.cross_generation_rate },
            { x: label(r.strategy), series: pt("metric.crossCompany"), value: r.cross_company_rate },
          ]),
          { width: HALF, phoneWidth: PHONE_WIDTH, locale, percent: true },
        ),
        fairness: renderChart(
          groupedBarsChart,
          view.fairness
            .filter((r) => r.dimension === "generation")
            .map((r) => ({ x: translate(locale, `generation.${r.group}` as MessageKey), series: label(r.strategy), value: r.success_per_mentee })),
          { width: HALF * 2, phoneWidth: PHONE_WIDTH, locale, percent: true },
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
  const t = pageTranslator(simulationsMessages, localeFromRequest(request));
  // Starting and keeping runs is for admin and hr (docs/decisions/0012-simulation-jobs.md).
  if (!canRunSimulations(signed.scope.role)) throw data(t("error.readOnly"), { status: 403 });
  const db = await getAppDb();
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const base = `/programs/${encodeURIComponent(programId)}/simulations`;
  try {
    if (intent === "start") {
      const jobId = await startSimulation(db, programId, signed.scope, parseSimulationRequest(form));
      if (!jobId) throw data(t("error.noProgram"), { status: 404 });
      return redirect(`${base}?job=${jobId}`);
    }
    if (intent === "keep") {
      const runId = await keepJob(db, programId, String(form.get("job") ?? ""), signed.scope);
      if (runId === null) return { error: t("error.notKept") };
      return redirect(`${base}?run=${runId}`);
    }
    if (intent === "replay") {
      if (!canSeeIndividuals(signed.scope)) throw data(t("error.individuals"), { status: 403 });
      const stored = await storedRunResult(db, programId, Number(form.get("run")));
      const strategy = String(form.get("strategy") ?? "");
      if (!stored || !(STRATEGIES as readonly string[]).includes(strategy)) return { error: t("error.unknownRun") };
      const jobId = await startSimulation(db, programId, signed.scope, replayRequest(stored.result, strategy as StrategyName));
      return redirect(`${base}?job=${jobId}&inspect=${encodeURIComponent(strategy)}`);
    }
    return { error: t("error.unknownAction", { intent: intent.slice(0, 20) }) };
  } catch (error) {
    if (error instanceof TooManySimulationsError) {
      const message =
        error.limit === "server" ? t("error.busyServer", { max: error.max }) : error.max === 1 ? t("error.busyYou") : t("error.busyYouMany", { max: error.max });
      return data({ error: message }, { status: 429, headers: { "Retry-After": "30" } });
    }
    if (error instanceof SimulationNotAllowedError) return data({ error: t("error.readOnly") }, { status: 403 });
    if (error instanceof RangeError) return { error: error.message };
    if (error instanceof Error && error.name === "WeightsError") return { error: error.message };
    throw error;
  }
}

/** The filters bar is not drawn: a simulation replays the whole cohort. */
export const handle: ProgramPageHandle = { filters: false };

export default function SimulationsPage() {
  const { programId, storedRuns, job, jobMissing, runId, stored, view, charts, inspect, pairs, canInspect, canRun, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const pt = usePageT(simulationsMessages);
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

      {canRun ? <SimulationForm defaults={defaults} open={!view && !job} busy={busy} /> : <p className="note">{pt("form.readOnly")}</p>}

      {jobMissing ? <p className="notice">{pt("progress.expired")}</p> : null}
      {job ? <JobProgress key={job.id} programId={programId} job={job} /> : null}

      {view && charts ? <SimulationResult view={view} charts={charts} job={job} runId={runId} stored={stored} canRun={canRun} canInspect={canInspect} busy={busy} /> : null}

      {pairs && inspect ? <SimulatedPairs programId={programId} jobId={job?.id} strategy={inspect} pairs={pairs} /> : null}

      <StoredRuns runs={storedRuns} runId={runId} />
    </section>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
