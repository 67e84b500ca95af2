import { Form, Link } from "@remix-run/react";
import type { ComparisonRow, FairnessRow, ResultView } from "../../../analytics/dashboards/simulations.server.ts";
import type { JobStatus } from "../../../analytics/matching/jobs.server.ts";
import { colon, formatNumber } from "../../i18n/format.ts";
import type { Locale } from "../../i18n/locale.ts";
import type { MessageKey } from "../../i18n/messages.ts";
import { pageTranslator } from "../../i18n/translate.ts";
import { simulationsMessages } from "../../i18n/pages/simulations.ts";
import { usePageT, useT } from "../../i18n/use-t.ts";
import { ChartFigure, type DataColumn } from "../ChartFigure.tsx";
import type { RenderedChart } from "../charts/render.server.ts";
import { useStrategyLabel, type SimulationsKey } from "./strategy-label.ts";
import { bestValues, isBest as isBestValue } from "../../../analytics/matching/verdict.ts";
import { OUT_OF_TIME_REASONS, SKIP_REASONS, type QuotaReason } from "../../../analytics/matching/reasons.ts";
import { sparseNoteLines } from "./sparse-note.ts";

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
  const signed = (v: unknown, digits = 1) => {
    const n = v as number | null;
    return n === null ? "–" : `${n > 0 ? "+" : ""}${num(n, digits)}`;
  };
  const comparisonColumns: DataColumn<ComparisonRow>[] = [
    { key: "strategy", label: pt("col.strategy"), format: label },
    { key: "runs", label: pt("col.runs"), numeric: true, format: (v) => num(v, 0) },
    { key: "pairs", label: pt("col.pairs"), numeric: true, format: (v) => num(v, Number.isInteger(v) ? 0 : 1) },
    { key: "coverage", label: pt("col.coverage"), numeric: true, format: pct },
    { key: "expected_successes", label: pt("col.expected"), numeric: true, format: (v) => num(v, 1) },
    { key: "gain_over_recorded", label: pt("col.gain"), numeric: true, format: (v) => signed(v) },
    { key: "gain_low", label: pt("col.gainLow"), numeric: true, format: (v) => signed(v) },
    { key: "gain_high", label: pt("col.gainHigh"), numeric: true, format: (v) => signed(v) },
    { key: "predicted_success", label: pt("col.success"), numeric: true, format: pct },
    { key: "predicted_success_low", label: pt("col.low"), numeric: true, format: pct },
    { key: "predicted_success_high", label: pt("col.high"), numeric: true, format: pct },
    { key: "compatibility_mean", label: pt("col.compatibility"), numeric: true, format: (v) => num(v, 3) },
    { key: "cross_generation_rate", label: pt("col.crossGeneration"), numeric: true, format: pct },
    { key: "cross_company_rate", label: pt("col.crossCompany"), numeric: true, format: pct },
    { key: "median_age_gap_years", label: pt("col.gap"), numeric: true, format: (v) => num(v, 1) },
    { key: "blocking_pairs", label: pt("col.blocking"), numeric: true, format: (v) => num(v, 0) },
    { key: "fairness_gap_organization", label: pt("col.gapOrg"), numeric: true, format: pct },
    { key: "fairness_gap_generation", label: pt("col.gapGen"), numeric: true, format: pct },
  ];
  const column = (key: keyof ComparisonRow) => comparisonColumns.find((c) => c.key === key)!;
  /** The table on the page: an interval sits under its figure, so the table fits 1,366 px. */
  const shown: { key: keyof ComparisonRow & string; interval?: [keyof ComparisonRow, keyof ComparisonRow] }[] = [
    { key: "strategy" },
    { key: "pairs" },
    { key: "coverage" },
    { key: "expected_successes" },
    { key: "gain_over_recorded", interval: ["gain_low", "gain_high"] },
    { key: "predicted_success", interval: ["predicted_success_low", "predicted_success_high"] },
    { key: "cross_generation_rate" },
    { key: "cross_company_rate" },
    { key: "median_age_gap_years" },
    { key: "blocking_pairs" },
    { key: "fairness_gap_organization" },
    { key: "fairness_gap_generation" },
  ];
  const best = bestValues(view.comparison, shown.map((c) => c.key));
  const seededRuns = view.comparison.find((r) => r.runs > 1)?.runs ?? null;
  const hiddenGroups = view.fairness.some((r) => r.suppressed);
  const fairnessColumns: DataColumn<FairnessRow>[] = [
    { key: "strategy", label: pt("col.strategy"), format: label },
    { key: "dimension", label: pt("col.dimension"), format: (v) => pt(`dimension.${String(v)}` as SimulationsKey) },
    { key: "group", label: pt("col.group"), format: (v, r) => (r.dimension === "generation" ? t(`generation.${String(v)}` as MessageKey) : r.label || String(v)) },
    // A protected reader is shown no headcount per group (docs/privacy.md, "Simulations").
    ...(view.fairness_k === null ? [{ key: "mentees", label: pt("col.mentees"), numeric: true, format: (v: unknown) => num(v as number | null, 0) } satisfies DataColumn<FairnessRow>] : []),
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
      <SparseNote view={view} />
      {view.skipped.map((s) => (
        <p key={s.strategy} className="note">
          {pt("result.skipped", { strategy: label(s.strategy), reason: s.reason === SKIP_REASONS.newCohort ? pt("skip.newCohort") : s.reason })}
        </p>
      ))}
      <Verdict view={view} />
      <div className="table-scroll">
        <table className="data compact" data-table="comparison">
          <thead>
            <tr>
              {shown.map(({ key }) => (
                <th key={key} scope="col" className={column(key).numeric ? "num" : undefined}>
                  {column(key).label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {view.comparison.map((row) => (
              <tr key={row.strategy} data-strategy={row.strategy}>
                {shown.map(({ key, interval }) => {
                  const c = column(key);
                  const value = row[key];
                  const isBest = isBestValue(best, key, value);
                  const text = value === null ? "–" : c.format ? c.format(value, row) : String(value);
                  const [lo, hi] = interval ? [row[interval[0]], row[interval[1]]] : [null, null];
                  return (
                    <td key={key} className={[c.numeric ? "num" : "", isBest ? "best" : ""].join(" ").trim() || undefined} data-col={key} data-best={isBest ? "true" : undefined}>
                      {isBest ? <span aria-hidden="true">★ </span> : null}
                      {text}
                      {isBest ? <span className="visually-hidden"> {pt("table.best")}</span> : null}
                      {key === "strategy" && canInspect ? (
                        <small className="inspect">
                          <br />
                          <InspectLink strategy={row.strategy} job={job} runId={runId} />
                        </small>
                      ) : null}
                      {lo !== null && hi !== null ? (
                        <small className="interval">
                          <br />
                          {pt("table.interval", { low: column(interval![0]).format!(lo, row), high: column(interval![1]).format!(hi, row) })}
                        </small>
                      ) : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="note">
        <small>
          {seededRuns ? pt("table.caption", { runs: f.number(seededRuns, 0) }) : pt("table.captionSingle")} {pt("table.bestNote")}
        </small>
      </p>
      <ColumnDefinitions />
      <ModelEffects model={view.model} />
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
        note={hiddenGroups ? pt("chart.fairness.hidden", { k: f.number(view.fairness_k, 0) }) : undefined}
      />
    </div>
  );
}

/** The sparse mode's note (a program above the dense limit): how the candidates were chosen, the gap, what reads differently. */
function SparseNote({ view }: { view: ResultView }) {
  const { locale } = useT();
  const lines = sparseNoteLines(view.sparse, view.program, locale);
  if (lines.length === 0) return null;
  return (
    <p className="note" data-sparse="true">
      <small>
        {lines.map((line, i) => (
          <span key={i}>
            {i > 0 ? " " : null}
            {line}
          </span>
        ))}
      </small>
    </p>
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
  const { f, t, locale } = useT();
  const pt = usePageT(simulationsMessages);
  const q = view.quotas;
  if (!q) return null;
  return (
    <div className="section" data-quotas-result="true">
      <h4>{pt("quotas.title")}</h4>
      <p className="note">
        <small>{pt("quotas.caption", { quotas: Object.entries(q.quotas).map(([k, v]) => `${pt(`quota.${k}` as SimulationsKey)} ≥ ${f.percent(v as number)}`).join(", ") })}</small>
      </p>
      {q.note_code === "sparse_mode" ? <p className="note">{pt("sparse.note.quotas_not_priced")}</p> : q.note ? <p className="note">{q.note}</p> : null}
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
                    <td colSpan={3}>
                      {(p.status === "infeasible" ? pt("quotas.infeasible") : pt("quotas.notComputed")) +
                        " " +
                        // A result stored before the reasons were data says them in English.
                        (p.details ? p.details.map((d) => quotaReasonLine(d, p.quota === "all", { pt, number: f.number, t, locale })) : p.reasons).join("; ")}
                    </td>
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

/**
 * Why a quota is infeasible or not priced, in the reader's language. On the "all together" row a
 * reason about one quota names it.
 */
export function quotaReasonLine(
  r: QuotaReason,
  named: boolean,
  { pt, number, t, locale }: { pt: (key: SimulationsKey, params?: Record<string, string>) => string; number: (v: number, digits?: number) => string; t: (key: MessageKey) => string; locale: Locale },
): string {
  const quota = (q: string) => pt(`quotaShort.${q}` as SimulationsKey);
  const prefix = named && "quota" in r ? `${quota(r.quota)}${colon(locale)}` : "";
  switch (r.code) {
    case "group_unreachable": {
      const group = r.dimension === "generation" ? t(`generation.${r.group}` as MessageKey) : r.group;
      return prefix + pt("quotaReason.group_unreachable", { group, mentees: number(r.mentees, 0), reachable: number(r.reachable, 0), need: number(r.need, 0) });
    }
    case "group_unreachable_general":
      return prefix + pt("quotaReason.group_unreachable_general");
    case "total_exceeds":
      return prefix + pt("quotaReason.total_exceeds", { need: number(r.need, 0), most: number(r.most, 0) });
    case "compete":
      return r.quotas.length === 1 ? pt("quotaReason.compete.one") : pt("quotaReason.compete.other", { quotas: r.quotas.map(quota).join(", ") });
    case "too_large":
      return pt("quotaReason.too_large", { cells: number(r.cells, 0), max: number(r.max, 0) });
  }
}

/** Which validity figure is shown (out of time when the data allow it) and the second one (validationView). */
function ValidationNote({ view }: { view: ResultView }) {
  const { f } = useT();
  const pt = usePageT(simulationsMessages);
  const brierText = useBrierText();
  // The known reasons in the reader's language; another (a newer one) as it is.
  const outOfTimeReason = (reason: string | null | undefined) =>
    reason === OUT_OF_TIME_REASONS.noLabelled ? pt("oot.noLabelled") : reason === OUT_OF_TIME_REASONS.oneMonth ? pt("oot.oneMonth") : (reason ?? "");
  const v = view.validation;
  if (!v || view.model.status !== "ok") return null;
  const cvAuc = f.number(view.model.held_out.auc, 3);
  const o = v.out_of_time;
  return (
    <p className="note" data-validation={v.headline}>
      <small>
        {o
          ? (o.method === "editions"
              ? pt("result.validationEditions", { programs: o.programs.join(", "), train: f.number(o.train_labelled), test: f.number(o.test_labelled), auc: f.number(o.auc, 3), brier: brierText(o.brier, o.brier_base_rate) })
              : pt("result.validationIntake", {
                  trainMonths: o.train_months.join(", "),
                  testMonths: o.test_months.join(", "),
                  train: f.number(o.train_labelled),
                  test: f.number(o.test_labelled),
                  auc: f.number(o.auc, 3),
                  brier: brierText(o.brier, o.brier_base_rate),
                })) +
            " " +
            pt("result.validationSecond", { auc: cvAuc })
          : pt("result.validationCv", { reason: outOfTimeReason(v.out_of_time_reason) })}
      </small>
    </p>
  );
}

/** "Brier 0.146 (a base-rate forecast scores 0.235)": the score beside the one it must beat; the score alone when the base rate is withheld. */
export function brierText(locale: Locale, brier: number, base: number | null | undefined): string {
  const pt = pageTranslator(simulationsMessages, locale);
  const num = (v: number) => formatNumber(locale, v, 3);
  return base === null || base === undefined ? pt("result.brierOnly", { brier: num(brier) }) : pt("result.brier", { brier: num(brier), base: num(base) });
}

function useBrierText() {
  const { locale } = useT();
  return (brier: number, base: number | null | undefined) => brierText(locale, brier, base);
}

/** What the outcome model learned from, as the reader may see it (modelView). */
function ModelProvenance({ model }: { model: ResultView["model"] | undefined }) {
  const { f } = useT();
  const pt = usePageT(simulationsMessages);
  const brierText = useBrierText();
  return (
    <p className="note" data-model-provenance="true">
      <small>
        {model?.status === "ok"
          ? model.labelled === null
            ? pt("result.modelNoCounts", { auc: f.number(model.held_out.auc, 3), brier: brierText(model.held_out.brier, model.held_out.brier_base_rate) })
            : pt("result.model", {
                labelled: f.number(model.labelled),
                successes: f.number(model.successes),
                auc: f.number(model.held_out.auc, 3),
                brier: brierText(model.held_out.brier, model.held_out.brier_base_rate),
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

/** The verdict sentence: who wins on expected successful pairs, at what price, and how far to trust it. */
function Verdict({ view }: { view: ResultView }) {
  const { f } = useT();
  const pt = usePageT(simulationsMessages);
  const label = useStrategyLabel();
  const v = view.verdict;
  const signed = (n: number) => `${n > 0 ? "+" : ""}${f.number(n, 1)}`;
  const outOfTime = view.validation?.headline === "out_of_time" ? view.validation.out_of_time : null;
  const basis =
    view.model.status !== "ok"
      ? ""
      : outOfTime
        ? pt("verdict.basisOutOfTime", {
            auc: f.number(outOfTime.auc, 3),
            trained: outOfTime.method === "editions" ? pt("oot.trainedEditions", { programs: outOfTime.programs.join(", ") }) : pt("oot.matchedIn", { months: outOfTime.train_months.join(", ") }),
            tested: outOfTime.method === "editions" ? pt("oot.testedEdition", { program: view.program.program_id }) : pt("oot.matchedIn", { months: outOfTime.test_months.join(", ") }),
          })
        : view.model.held_out_program
          ? pt("verdict.basisProgram", { auc: f.number(view.model.held_out_program.auc, 3) })
          : pt("verdict.basisCv", { auc: f.number(view.model.held_out.auc, 3) });
  let sentence: string;
  if (v.kind === "no_model") sentence = pt("verdict.noModel");
  else if (v.kind === "new_cohort") sentence = pt("verdict.newCohort", { best: label(v.best), n: f.number(v.expected_successes, 1) });
  else if (v.kind === "winner") {
    const costs = v.trade_offs.map((t) =>
      pt(`verdict.trade.${t.figure}` as SimulationsKey, { recorded: f.percent(t.recorded), winner: f.percent(t.winner) }),
    );
    sentence =
      pt("verdict.winner", { best: label(v.best), gain: signed(v.gain), low: signed(v.low), high: signed(v.high) }) +
      " " +
      (costs.length > 0 ? pt("verdict.costs", { costs: costs.join(pt("verdict.and")) }) : pt("verdict.noCost"));
  } else if (v.best === null) sentence = pt("verdict.noComparison");
  else sentence = pt("verdict.noWinner", { best: label(v.best), gain: signed(v.gain!), low: signed(v.low!), high: signed(v.high!) });
  const selfGraded = (v.kind === "winner" || v.kind === "no_clear_winner") && v.self_graded;
  return (
    <div className="verdict" data-verdict={v.kind}>
      <p>
        <strong>{sentence}</strong> {basis}
      </p>
      {selfGraded || v.kind === "new_cohort" ? (
        <p className="note" data-self-graded="true">
          <small>{pt("verdict.selfGraded")}</small>
        </p>
      ) : null}
    </div>
  );
}

const DEFINED_COLUMNS = ["pairs", "coverage", "expected", "gain", "success", "crossGeneration", "crossCompany", "gap", "blocking", "gapOrg", "gapGen"] as const;

/** What each column of the comparison means. */
function ColumnDefinitions() {
  const pt = usePageT(simulationsMessages);
  return (
    <details className="section definitions" data-definitions="true">
      <summary>{pt("definitions.title")}</summary>
      <dl>
        {DEFINED_COLUMNS.map((c) => (
          <div key={c}>
            <dt>{pt(`col.${c}` as SimulationsKey)}</dt>
            <dd>{pt(`define.${c}` as SimulationsKey)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

/** The outcome model's effects: odds ratio per standard deviation of each feature, with its 95 % interval. */
function ModelEffects({ model }: { model: ResultView["model"] }) {
  const { f } = useT();
  const pt = usePageT(simulationsMessages);
  if (model.status !== "ok") return null;
  const ratio = (logOdds: number) => `×${f.number(Math.exp(logOdds), 2)}`;
  return (
    <details className="section" data-model-effects="true">
      <summary>{pt("effects.title")}</summary>
      <p className="note">
        <small>{pt("effects.caption")}</small>
      </p>
      <table className="data compact">
        <thead>
          <tr>
            <th scope="col">{pt("effects.feature")}</th>
            <th scope="col" className="num">
              {pt("effects.ratio")}
            </th>
            <th scope="col" className="num">
              {pt("effects.interval")}
            </th>
            <th scope="col">{pt("effects.reading")}</th>
          </tr>
        </thead>
        <tbody>
          {model.effects.map((e) => {
            const [lo, hi] = e.per_sd_ci;
            const reading = lo > 0 ? "effects.helps" : hi < 0 ? "effects.hurts" : "effects.unclear";
            return (
              <tr key={e.feature} data-feature={e.feature}>
                <th scope="row">{pt(`feature.${e.feature}` as SimulationsKey)}</th>
                <td className="num">{ratio(e.per_sd)}</td>
                <td className="num">{pt("table.interval", { low: ratio(lo), high: ratio(hi) })}</td>
                <td>{pt(reading)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </details>
  );
}
