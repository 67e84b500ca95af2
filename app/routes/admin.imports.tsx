import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { requireAdmin } from "../../analytics/auth/request.server.ts";
import { getAppDb, getImportDb } from "../../analytics/db/app-db.server.ts";
import { capEcho, capText, listImports } from "../../analytics/ingest/index.server.ts";
import {
  batchHeadersKey,
  batchMapping,
  batchNeedsMapping,
  batchSources,
  isKeptMapping,
  keepBatchMapping,
  MappingRefused,
  previewMapped,
  proposeMapping,
  readMappingText,
  removeKeptMapping,
  sourceProblemsReport,
  sourceViews,
  targetColumns,
  type MappedPreview,
  type MappingProposal,
  type SourceView,
  type TargetColumns,
} from "../../analytics/ops/mapped-upload.server.ts";
import { PresetRefused, savePreset } from "../../analytics/ops/mapping-presets.server.ts";
import { recordOpsAudit } from "../../analytics/ops/audit.server.ts";
import { dryRunBatch, getImportJob, startImportJob, type ImportJob, type ImportReport } from "../../analytics/ops/import-jobs.server.ts";
import { expireBatches, openBatch, receiveUpload, removeBatch, UploadRefused, uploadLimits, writeMeta } from "../../analytics/ops/upload.server.ts";
import { adminImportsMessages } from "../i18n/pages/admin-imports.ts";
import { formatDateTime } from "../i18n/format.ts";
import { useLocale, usePageT } from "../i18n/use-t.ts";
import { localizeWarning } from "../i18n/pages/import-warnings.ts";
import { OpsNav } from "../components/OpsNav.tsx";
import { usePolledJob } from "../utils/use-polled-job.ts";
import { MappingEditor, SourcesPreview } from "../components/imports/MappingEditor.tsx";
import importStyles from "../styles/imports.css?url";

export const meta: MetaFunction = () => [{ title: "Import · Binôme" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: importStyles }];

type HistoryRow = { import_id: number; started_at: string; status: string; program_ids: string[] | null; problem_count: number | null; message: string | null };

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireAdmin(request);
  const db = await getAppDb();
  expireBatches();
  const jobId = new URL(request.url).searchParams.get("job");
  const job = jobId ? getImportJob(jobId, user.userId) : null;
  const limits = uploadLimits();
  return {
    history: (await listImports(db, 30)) as HistoryRow[],
    job: job ? publicJob(job) : null,
    limits: { mb: Math.round(limits.maxUploadBytes / 1048576), files: limits.maxFiles, unzipped: Math.round(limits.maxUncompressedBytes / 1048576) },
  };
}

function publicJob(job: ImportJob) {
  return { id: job.id, state: job.state, phase: job.phase, done: job.done, total: job.total, report: job.report, error: job.error };
}

/** The mapping step of a batch in another layout: everything the page needs to show it again. */
type MappingStep = {
  kind: "mapping";
  batchId: string;
  names: string[];
  sources: SourceView[];
  targets: TargetColumns;
  /** The mapping's JSON as the page edits it. */
  mappingText: string;
  proposal: MappingProposal["origin"] | null;
  saved: string[];
  /** Why the mapping itself was refused (not JSON, not a mapping), or null. */
  mappingProblems: string[] | null;
  preview: MappedPreview | null;
  preset: { saved: string } | { refused: string } | null;
};

type ActionResult =
  | { kind: "refused"; message: string }
  | { kind: "report"; batchId: string | null; names: string[]; report: ImportReport }
  | MappingStep
  | { kind: "expired" };

/** Caps what the report echoes of the user's files (issue 14 item 8): warnings, messages, columns, values. */
function capped(report: ImportReport): ImportReport {
  return {
    ...report,
    warnings: report.warnings.map((w) => capEcho(w)),
    problems: report.problems.map((p) => ({ ...p, column: p.column === null ? null : capText(p.column), message: capEcho(p.message), value: p.value === null ? null : capText(p.value), text: capEcho(p.text) })),
  };
}

/** Runs the preview of a mapping on the batch; keeps the mapping with the batch when the preview is valid. */
async function mappingStep(
  batch: NonNullable<ReturnType<typeof openBatch>>,
  sources: SourceView[],
  text: string,
  extra: Pick<MappingStep, "proposal" | "saved" | "preset">,
): Promise<{ step: MappingStep; status: number }> {
  const base = { kind: "mapping" as const, batchId: batch.id, names: batch.meta.names, sources, targets: targetColumns(), mappingText: text, ...extra };
  const read = readMappingText(text);
  removeKeptMapping(batch);
  if (!read.ok) return { step: { ...base, mappingProblems: read.problems, preview: null }, status: 422 };
  const preview = await previewMapped(await getImportDb(), batch, read.mapping, "mapping");
  const valid = preview.report.outcome === "dry_run";
  if (valid) {
    keepBatchMapping(batch, read.input, "mapping");
    writeMeta(batch.dir, { ...batch.meta, programIds: preview.report.programs.map((p) => p.program_id) });
  }
  return { step: { ...base, mappingProblems: null, preview: { ...preview, report: capped(preview.report) } }, status: valid ? 200 : 422 };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, scope } = await requireAdmin(request);
  const db = await getAppDb();
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    let batch;
    try {
      batch = await receiveUpload(request, user.userId);
    } catch (error) {
      if (error instanceof UploadRefused) return data<ActionResult>({ kind: "refused", message: capEcho(error.message) }, { status: error.status });
      throw error;
    }
    try {
      if (batchNeedsMapping(batch.files)) {
        // Another layout: propose a mapping (a saved preset for these headers, a shipped one, or a suggestion) and preview it.
        const read = batchSources(batch, { scan: true });
        if (read.problems.length > 0) {
          removeBatch(batch.id);
          const report = capped(sourceProblemsReport(read.problems, read.warnings));
          return data<ActionResult>({ kind: "report", batchId: null, names: batch.meta.names, report }, { status: 422 });
        }
        const proposal = await proposeMapping(db, scope, read.sources);
        const opened = openBatch(batch.id, user.userId)!;
        const { step, status } = await mappingStep(opened, sourceViews(read.sources), JSON.stringify(proposal.mapping, null, 2), { proposal: proposal.origin, saved: proposal.saved, preset: null });
        return data<ActionResult>(step, { status });
      }
      const report = capped(await dryRunBatch(await getImportDb(), batch));
      const valid = report.outcome === "dry_run";
      if (valid) writeMeta(batch.dir, { ...batch.meta, programIds: report.programs.map((p) => p.program_id) });
      else removeBatch(batch.id);
      return data<ActionResult>({ kind: "report", batchId: valid ? batch.id : null, names: batch.meta.names, report }, { status: valid ? 200 : 422 });
    } catch (error) {
      removeBatch(batch.id); // no confirm can follow: the files go at once
      throw error;
    }
  }
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const batchId = String(form.get("batchId") ?? "");
  const batch = openBatch(batchId, user.userId);
  if (intent === "cancel") {
    if (batch) removeBatch(batch.id);
    return redirect("/admin/imports");
  }
  if (!["confirm", "preview", "save_preset"].includes(intent)) return data<ActionResult>({ kind: "refused", message: "Unknown action." }, { status: 400 });
  if (!batch) return data<ActionResult>({ kind: "expired" }, { status: 410 });
  if (intent === "preview" || intent === "save_preset") {
    const read = batchSources(batch);
    if (read.problems.length > 0) return data<ActionResult>({ kind: "refused", message: capEcho(read.problems.map((p) => p.message).join("; ")) }, { status: 422 });
    const text = String(form.get("mapping") ?? "");
    let preset: MappingStep["preset"] = null;
    if (intent === "save_preset") {
      const name = String(form.get("presetName") ?? "").trim();
      const parsed = readMappingText(text);
      if (!parsed.ok) preset = { refused: parsed.problems.join("; ") };
      else {
        try {
          await savePreset(db, scope, name, parsed.input, batchHeadersKey(read.sources));
          preset = { saved: name };
        } catch (error) {
          if (!(error instanceof PresetRefused)) throw error;
          if (error.status === 403) return data<ActionResult>({ kind: "refused", message: error.message }, { status: 403 });
          preset = { refused: capEcho(error.message) };
        }
      }
    }
    const { step, status } = await mappingStep(batch, sourceViews(read.sources), text, { proposal: null, saved: [], preset });
    const refusedPreset = preset !== null && "refused" in preset;
    return data<ActionResult>(step, { status: refusedPreset ? 400 : status });
  }
  // Confirm: the mapping kept with the batch is the one of the last valid preview.
  let mapping: ReturnType<typeof batchMapping>;
  try {
    mapping = batchMapping(batch);
  } catch (error) {
    if (error instanceof MappingRefused) return data<ActionResult>({ kind: "refused", message: capEcho(error.message) }, { status: 422 });
    throw error;
  }
  if (!mapping && batchNeedsMapping(batch.files)) {
    return data<ActionResult>({ kind: "refused", message: "These files need a mapping with a valid preview before they can be imported." }, { status: 409 });
  }
  // The page sends the mapping it shows: one edited since the preview is not imported (the kept one would be).
  if (mapping && !isKeptMapping(batch, form.get("mapping"))) {
    return data<ActionResult>({ kind: "refused", message: "The mapping changed since the preview: preview again before importing." }, { status: 409 });
  }
  await recordOpsAudit(db, scope, "import_data", { files: batch.meta.names, programs: batch.meta.programIds ?? [], mapping: mapping ? "yes" : "no" });
  const job = startImportJob(await getImportDb(), batch, user.userId, batch.meta.programIds ?? [], db, mapping);
  return redirect(`/admin/imports?job=${job.id}`);
}

export default function AdminImports() {
  const { history, job: initialJob, limits } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = usePageT(adminImportsMessages);
  const locale = useLocale();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  // When the import ends, the history (from the loader) is read again: the import shows at once.
  const job = usePolledJob(initialJob, { url: (j) => `/api/admin/imports/${j.id}`, running: (j) => j.state === "running", onFinished: () => revalidator.revalidate() });
  // Once a valid dry run offers "Import now", that is the primary action, no longer the upload.
  const canImport =
    (result?.kind === "report" && result.batchId !== null) || (result?.kind === "mapping" && result.preview?.report.outcome === "dry_run");
  return (
    <section className="admin-grid ops-page imports-page">
      <h1>{t("title")}</h1>
      <OpsNav />
      <p>{t("intro")}</p>
      <Form method="post" encType="multipart/form-data" className="form-grid auth-card" aria-label={t("upload.label")}>
        <label>
          {t("upload.label")}
          <input type="file" name="files" multiple required accept=".zip,.csv,.parquet,.json,.ndjson,.xlsx,.txt,.tsv" />
        </label>
        <p className="hint">{t("limits", limits)}</p>
        <button type="submit" disabled={navigation.state !== "idle"} className={canImport ? "secondary" : undefined} data-testid="upload-submit">
          {t("upload.submit")}
        </button>
      </Form>

      {result?.kind === "refused" ? (
        <div className="form-error" role="alert" data-testid="upload-refused">
          <p>{result.message}</p>
        </div>
      ) : null}
      {result?.kind === "expired" ? (
        <div className="form-error" role="alert">
          <p>{t("expired")}</p>
        </div>
      ) : null}
      {result?.kind === "report" ? <DryRunReport report={result.report} batchId={result.batchId} /> : null}
      {result?.kind === "mapping" ? <MappingStepView step={result} key={result.batchId} /> : null}

      {job ? (
        <div className={job.state === "failed" ? "form-error" : "form-ok"} role="status" data-testid="import-job" data-state={job.state}>
          {job.state === "running" ? (
            <p>
              {t("job.running", { phase: t(`phase.${job.phase}` as never) === `phase.${job.phase}` ? job.phase : t(`phase.${job.phase}` as never), done: job.done, total: job.total })}{" "}
              <progress max={job.total || 1} value={job.done} />
            </p>
          ) : job.state === "done" ? (
            <>
              <p>{t(`job.outcome.${job.report?.outcome ?? "imported"}` as never)}</p>
              <ul>
                {job.report?.programs.map((p) => (
                  <li key={p.program_id}>
                    <Link to={`/programs/${encodeURIComponent(p.program_id)}`} data-testid="imported-program">
                      {t("job.open", { program: p.program_id })}
                    </Link>{" "}
                    ({t(`report.action.${p.action}`)})
                  </li>
                ))}
              </ul>
              {job.report && job.report.problems.length > 0 ? <ProblemTable problems={job.report.problems} /> : null}
            </>
          ) : (
            <p>{t("job.failed", { error: capEchoClient(job.error ?? "") })}</p>
          )}
        </div>
      ) : null}

      <h2>{t("history.title")}</h2>
      <div className="table-scroll">
        <table className="data" aria-label={t("history.title")} data-testid="import-history">
          <thead>
            <tr>
              <th scope="col" className="num">{t("col.id")}</th>
              <th scope="col">{t("col.started")}</th>
              <th scope="col">{t("col.status")}</th>
              <th scope="col">{t("col.programs")}</th>
              <th scope="col" className="num">{t("col.problems")}</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h) => (
              <tr key={h.import_id} data-import-id={h.import_id} data-status={h.status}>
                <td className="num">{h.import_id}</td>
                <td className="nowrap">{formatDateTime(locale, String(h.started_at))}</td>
                <td>
                  {statusLabel(t, h.status)}
                  {h.message ? <small> — {capEchoClient(h.message)}</small> : null}
                </td>
                <td>{(h.program_ids ?? []).join(", ")}</td>
                <td className="num">{h.problem_count ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The same cap as the server's capEcho, for text that reaches the page from elsewhere (a job's error, the history). */
function capEchoClient(text: string): string {
  const chars = Array.from(text);
  return chars.length > 300 ? chars.slice(0, 300).join("") + "…" : text;
}

type PageT = ReturnType<typeof usePageT<typeof adminImportsMessages.en>>;
function statusLabel(t: PageT, status: string): string {
  const key = `status.${status}`;
  const label = t(key as never);
  return label === key ? status : label;
}

function MappingStepView({ step }: { step: MappingStep }) {
  const t = usePageT(adminImportsMessages);
  const navigation = useNavigation();
  const [text, setText] = useState(step.mappingText);
  // A new answer of the server (another preview) carries the mapping it previewed.
  useEffect(() => setText(step.mappingText), [step]);
  const valid = step.preview?.report.outcome === "dry_run";
  // An edit after the preview: "Import now" would import the previewed mapping, not this one.
  const changed = !sameMapping(text, step.mappingText);
  const busy = navigation.state !== "idle";
  return (
    <div className="ops-report mapping-step" data-testid="mapping-step" data-valid={valid ? "yes" : "no"} data-changed={changed ? "yes" : "no"}>
      <h2>{t("mapping.title")}</h2>
      <p>
        {step.proposal?.kind === "saved"
          ? t("mapping.fromSaved", { name: step.proposal.name })
          : step.proposal?.kind === "shipped"
            ? t("mapping.fromShipped", { name: step.proposal.name })
            : step.proposal?.kind === "suggested"
              ? t("mapping.fromSuggestion")
              : t("mapping.edited")}
      </p>
      <SourcesPreview sources={step.sources} />
      <Form method="post" className="mapping-form" data-testid="mapping-form">
        <input type="hidden" name="batchId" value={step.batchId} />
        <MappingEditor text={text} onChange={setText} sources={step.sources} targets={step.targets} />
        {step.mappingProblems ? (
          <div className="form-error" role="alert" data-testid="mapping-problems">
            <p>{t("mapping.invalid")}</p>
            <ul>
              {step.mappingProblems.map((p, i) => (
                <li key={i}>{p}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <div className="mapping-actions">
          <button type="submit" name="intent" value="preview" className={valid && !changed ? "button secondary" : "button"} disabled={busy}>
            {t("mapping.preview")}
          </button>
          <label className="preset-name">
            {t("mapping.presetName")}
            <input name="presetName" pattern="[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}" placeholder="my-platform" />
          </label>
          <button type="submit" name="intent" value="save_preset" className="button secondary" disabled={busy}>
            {t("mapping.savePreset")}
          </button>
        </div>
        {step.preset ? (
          "saved" in step.preset ? (
            <p className="form-ok" role="status" data-testid="preset-result">
              {t("mapping.presetSaved", { name: step.preset.saved })}
            </p>
          ) : (
            <p className="form-error" role="alert" data-testid="preset-result">
              {t("mapping.presetRefused", { why: step.preset.refused })}
            </p>
          )
        ) : null}
        {valid && changed ? (
          <p className="form-error" role="status" data-testid="mapping-changed">
            {t("mapping.changed")}
          </p>
        ) : null}
      </Form>
      {step.preview ? (
        <>
          <DryRunReport report={step.preview.report} batchId={valid && !changed ? step.batchId : null} mappingText={text} />
          {step.preview.tables.length > 0 ? <FirstRows tables={step.preview.tables} /> : null}
        </>
      ) : null}
    </div>
  );
}

function FirstRows({ tables }: { tables: MappedPreview["tables"] }) {
  const t = usePageT(adminImportsMessages);
  return (
    <div data-testid="first-rows">
      <h3>{t("preview.title")}</h3>
      {tables.map((tb) => (
        <div className="table-scroll" key={tb.table}>
          <table className="data compact" data-preview-table={tb.table}>
            <caption>{t("preview.caption", { table: tb.table, shown: tb.rows.length, total: tb.total })}</caption>
            <thead>
              <tr>
                {tb.columns.map((c) => (
                  <th scope="col" key={c}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {tb.rows.map((r, i) => (
                <tr key={i}>
                  {r.map((v, k) => (
                    <td key={k}>{v ?? ""}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}

/** Whether two texts of a mapping are the same mapping (spaces aside); texts that are not JSON compare as they are. */
function sameMapping(a: string, b: string): boolean {
  const canonical = (text: string) => {
    try {
      return JSON.stringify(JSON.parse(text));
    } catch {
      return text;
    }
  };
  return canonical(a) === canonical(b);
}

function DryRunReport({ report, batchId, mappingText }: { report: ImportReport; batchId: string | null; mappingText?: string }) {
  const t = usePageT(adminImportsMessages);
  const locale = useLocale();
  const busy = useNavigation().state !== "idle";
  const valid = report.outcome === "dry_run";
  return (
    <div className="ops-report" data-testid="dry-run-report" data-outcome={report.outcome}>
      <div className={valid ? "form-ok" : "form-error"} role={valid ? "status" : "alert"}>
        <p>
          {valid ? t("report.valid") : report.outcome === "refused" ? t("report.refused") : t("report.invalid", { count: report.problems.length })}
        </p>
      </div>
      {report.programs.length > 0 ? (
        <p>
          {t("report.programs")}:{" "}
          {report.programs.map((p, i) => (
            <span key={p.program_id} data-program={p.program_id} data-action={p.action}>
              {i > 0 ? ", " : ""}
              <strong>{p.program_id}</strong> ({t(`report.action.${p.action}`)})
            </span>
          ))}
        </p>
      ) : null}
      {report.problems.length > 0 ? <ProblemTable problems={report.problems} /> : null}
      <table className="data" aria-label={t("report.rows")}>
        <caption>{t("report.rows")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("col.table")}</th>
            <th scope="col" className="num">{t("col.before")}</th>
            <th scope="col" className="num">{t("col.after")}</th>
          </tr>
        </thead>
        <tbody>
          {report.rowCounts.map((r) => (
            <tr key={r.table} data-table={r.table}>
              <td>{r.table}</td>
              <td className="num">{r.before}</td>
              <td className="num">{r.after}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.warnings.length > 0 ? (
        <details>
          <summary>{t("report.warnings")} ({report.warnings.length})</summary>
          <ul>
            {report.warnings.map((w, i) => (
              <li key={i}>{localizeWarning(w, locale)}</li>
            ))}
          </ul>
        </details>
      ) : null}
      {valid && batchId ? (
        <Form method="post" className="confirm-actions">
          <input type="hidden" name="batchId" value={batchId} />
          {/* The mapping the page shows: the server refuses the import if it is not the one it previewed and kept. */}
          {mappingText !== undefined ? <input type="hidden" name="mapping" value={mappingText} /> : null}
          <button type="submit" name="intent" value="confirm" className="button" data-testid="confirm-import" disabled={busy}>
            {t("confirm")}
          </button>
          <button type="submit" name="intent" value="cancel" className="link-button" disabled={busy}>
            {t("cancel")}
          </button>
        </Form>
      ) : null}
    </div>
  );
}

function ProblemTable({ problems }: { problems: ImportReport["problems"] }) {
  const t = usePageT(adminImportsMessages);
  return (
    <div className="table-scroll">
    <table className="data" aria-label={t("problems.label")} data-testid="problems">
      <thead>
        <tr>
          <th scope="col">{t("col.file")}</th>
          <th scope="col" className="num">{t("col.line")}</th>
          <th scope="col">{t("col.column")}</th>
          <th scope="col">{t("col.problem")}</th>
          <th scope="col">{t("col.value")}</th>
        </tr>
      </thead>
      <tbody>
        {problems.map((p, i) => (
          <tr key={i}>
            <td>{p.file}</td>
            <td className="num">{p.line ?? (p.row !== null ? t("problem.row", { row: p.row }) : "")}</td>
            <td>{p.column ?? ""}</td>
            <td>{p.message}</td>
            <td>{p.value ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}
