import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireAdmin } from "../../analytics/auth/request.server.ts";
import { getAppDb, getImportDb } from "../../analytics/db/app-db.server.ts";
import { listImports } from "../../analytics/ingest/index.server.ts";
import { recordOpsAudit } from "../../analytics/ops/audit.server.ts";
import { dryRunBatch, getImportJob, startImportJob, type ImportJob, type ImportReport } from "../../analytics/ops/import-jobs.server.ts";
import { expireBatches, openBatch, receiveUpload, removeBatch, UploadRefused, uploadLimits, writeMeta } from "../../analytics/ops/upload.server.ts";
import { adminImportsMessages } from "../i18n/pages/admin-imports.ts";
import { usePageT } from "../i18n/use-t.ts";
import { OpsNav } from "../components/OpsNav.tsx";
import { usePolledJob } from "../utils/use-polled-job.ts";

export const meta: MetaFunction = () => [{ title: "Import · Binôme" }];

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

type ActionResult =
  | { kind: "refused"; message: string }
  | { kind: "report"; batchId: string | null; names: string[]; report: ImportReport }
  | { kind: "expired" };

export async function action({ request }: ActionFunctionArgs) {
  const { user, scope } = await requireAdmin(request);
  const db = await getAppDb();
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    let batch;
    try {
      batch = await receiveUpload(request, user.userId);
    } catch (error) {
      if (error instanceof UploadRefused) return data<ActionResult>({ kind: "refused", message: error.message }, { status: error.status });
      throw error;
    }
    let report;
    try {
      report = await dryRunBatch(await getImportDb(), batch);
    } catch (error) {
      removeBatch(batch.id); // no confirm can follow: the files go at once
      throw error;
    }
    const valid = report.outcome === "dry_run";
    if (valid) writeMeta(batch.dir, { ...batch.meta, programIds: report.programs.map((p) => p.program_id) });
    else removeBatch(batch.id);
    return data<ActionResult>({ kind: "report", batchId: valid ? batch.id : null, names: batch.meta.names, report }, { status: valid ? 200 : 422 });
  }
  const form = await request.formData();
  const batchId = String(form.get("batchId") ?? "");
  const batch = openBatch(batchId, user.userId);
  if (form.get("intent") === "cancel") {
    if (batch) removeBatch(batch.id);
    return redirect("/admin/imports");
  }
  if (form.get("intent") !== "confirm") return data({ kind: "refused", message: "Unknown action." } as ActionResult, { status: 400 });
  if (!batch) return data<ActionResult>({ kind: "expired" }, { status: 410 });
  await recordOpsAudit(db, scope, "import_data", { files: batch.meta.names, programs: batch.meta.programIds ?? [] });
  const job = startImportJob(await getImportDb(), batch, user.userId, batch.meta.programIds ?? [], db);
  return redirect(`/admin/imports?job=${job.id}`);
}

export default function AdminImports() {
  const { history, job: initialJob, limits } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = usePageT(adminImportsMessages);
  const navigation = useNavigation();
  const job = usePolledJob(initialJob, { url: (j) => `/api/admin/imports/${j.id}`, running: (j) => j.state === "running" });
  return (
    <section className="admin-grid ops-page">
      <h1>{t("title")}</h1>
      <OpsNav />
      <p>{t("intro")}</p>
      <Form method="post" encType="multipart/form-data" className="form-grid auth-card" aria-label={t("upload.label")}>
        <label>
          {t("upload.label")}
          <input type="file" name="files" multiple required accept=".zip,.csv,.parquet,.json,.ndjson" />
        </label>
        <p className="hint">{t("limits", limits)}</p>
        <button type="submit" disabled={navigation.state !== "idle"}>
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

      {job ? (
        <div className={job.state === "failed" ? "form-error" : "form-ok"} role="status" data-testid="import-job" data-state={job.state}>
          {job.state === "running" ? (
            <p>
              {t("job.running", { phase: job.phase, done: job.done, total: job.total })} <progress max={job.total || 1} value={job.done} />
            </p>
          ) : job.state === "done" ? (
            <>
              <p>{t("job.done", { outcome: job.report?.outcome ?? "" })}</p>
              <ul>
                {job.report?.programs.map((p) => (
                  <li key={p.program_id}>
                    <Link to={`/programs/${encodeURIComponent(p.program_id)}`}>{p.program_id}</Link> ({t(`report.action.${p.action}`)})
                  </li>
                ))}
              </ul>
              {job.report && job.report.problems.length > 0 ? <ProblemTable problems={job.report.problems} /> : null}
            </>
          ) : (
            <p>{t("job.failed", { error: job.error ?? "" })}</p>
          )}
        </div>
      ) : null}

      <h2>{t("history.title")}</h2>
      <table className="data" aria-label={t("history.title")}>
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
              <td>{String(h.started_at).replace("T", " ").slice(0, 19)}</td>
              <td>
                {h.status}
                {h.message ? <small> — {h.message}</small> : null}
              </td>
              <td>{(h.program_ids ?? []).join(", ")}</td>
              <td className="num">{h.problem_count ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function DryRunReport({ report, batchId }: { report: ImportReport; batchId: string | null }) {
  const t = usePageT(adminImportsMessages);
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
              <li key={i}>{w}</li>
            ))}
          </ul>
        </details>
      ) : null}
      {valid && batchId ? (
        <Form method="post" className="form-inline">
          <input type="hidden" name="batchId" value={batchId} />
          <button type="submit" name="intent" value="confirm">
            {t("confirm")}
          </button>
          <button type="submit" name="intent" value="cancel" className="link-button">
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
    <table className="data" aria-label="Problems" data-testid="problems">
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
            <td className="num">{p.line ?? (p.row !== null ? `row ${p.row}` : "")}</td>
            <td>{p.column ?? ""}</td>
            <td>{p.message}</td>
            <td>{p.value ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
