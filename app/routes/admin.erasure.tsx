import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator, useSearchParams } from "@remix-run/react";
import { useEffect } from "react";
import { requireAdmin } from "../../analytics/auth/request.server.ts";
import { getAppDb, getImportDb } from "../../analytics/db/app-db.server.ts";
import { recordOpsAudit } from "../../analytics/ops/audit.server.ts";
import { compactionStatus, requestCompaction } from "../../analytics/ops/compaction.server.ts";
import { ErasureError, eraseParticipant, erasureOverview } from "../../analytics/ops/erasure.server.ts";
import { adminErasureMessages } from "../i18n/pages/admin-erasure.ts";
import { pageTitle } from "../i18n/meta.ts";
import { usePageT } from "../i18n/use-t.ts";
import { OpsNav } from "../components/OpsNav.tsx";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, adminErasureMessages, "title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const db = await getAppDb();
  return {
    ...(await erasureOverview(db)),
    // The server rebuilds its file after each erasure (decision 0013): running, failed or idle
    // (why it failed is in the server's log, not on the page: it may quote SQL).
    rebuild: { state: compactionStatus().state },
  };
}

type ActionResult = { ok: boolean; rows?: number; hash?: string; error?: "notFound" | "unknown"; mismatch?: boolean; rebuild?: boolean; participant?: string; program?: string };

export async function action({ request }: ActionFunctionArgs) {
  const { scope } = await requireAdmin(request);
  // The operation's transaction on the data-operations connection, the audit entry on the
  // pages' one, so that neither captures the other (decision 0010).
  const db = await getImportDb();
  const pagesDb = await getAppDb();
  const form = await request.formData();
  const programId = String(form.get("programId") ?? "");
  const participantId = String(form.get("participantId") ?? "").trim();
  if (form.get("intent") === "rebuild") {
    // After a failed rebuild, or an erasure made before the server stopped.
    void requestCompaction(scope);
    return data<ActionResult>({ ok: true, rebuild: true });
  }
  if (form.get("intent") !== "erase") return data<ActionResult>({ ok: false, error: "unknown" }, { status: 400 });
  if (String(form.get("confirm") ?? "").trim() !== participantId) return data<ActionResult>({ ok: false, mismatch: true }, { status: 400 });
  try {
    const result = await eraseParticipant(db, programId, participantId);
    // The audit entry names the program and the ledger hash, never the participant.
    await recordOpsAudit(pagesDb, scope, "erase_participant", { programId, subjectHash: result.subjectHash });
    // Then the file is rebuilt without their bytes, in the background (the page follows it).
    void requestCompaction(scope);
    const rows = Object.values(result.rowsRemoved).reduce((a, b) => a + b, 0);
    return data<ActionResult>({ ok: true, rows, hash: result.subjectHash.slice(0, 16) });
  } catch (error) {
    if (error instanceof ErasureError) return data<ActionResult>({ ok: false, error: "notFound", participant: participantId, program: programId }, { status: 404 });
    throw error;
  }
}

export default function AdminErasure() {
  const { programs, ledgerCount, pendingSince, rebuiltAt, rebuild } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const revalidator = useRevalidator();
  // While the rebuild runs, look again every second: the page says when the erasure is complete.
  const rebuilding = Boolean(pendingSince) && rebuild.state === "running";
  useEffect(() => {
    if (!rebuilding) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1000);
    return () => clearInterval(timer);
  }, [rebuilding, revalidator]);
  const [params] = useSearchParams();
  const t = usePageT(adminErasureMessages);
  const program = params.get("programId") ?? "";
  const participant = params.get("participantId") ?? "";
  const confirming = params.get("step") === "confirm" && program && participant && !result?.ok;
  return (
    <section className="admin-grid ops-page">
      <h1>{t("title")}</h1>
      <OpsNav />
      <p>{t("intro")}</p>
      {result ? (
        <div className={result.ok ? "form-ok" : "form-error"} role={result.ok ? "status" : "alert"} data-testid="erasure-result">
          <p>
            {result.ok
              ? result.rebuild
                ? t("rebuild.started")
                : t("done", { rows: result.rows ?? 0, hash: result.hash ?? "" })
              : result.mismatch
                ? t("error.confirm")
                : result.error === "notFound"
                  ? t("error.notFound", { participant: result.participant ?? "", program: result.program ?? "" })
                  : t("error.unknown")}
          </p>
        </div>
      ) : null}
      {pendingSince ? (
        rebuilding ? (
          <p className="form-ok" role="status" data-testid="rebuild-running">
            {t("rebuild.running", { since: pendingSince.slice(0, 19) })}
          </p>
        ) : (
          <Form method="post" className="form-error" role="note" data-testid="rebuild-pending">
            <p>
              {rebuild.state === "failed" ? t("rebuild.failed") : t("pending", { since: pendingSince.slice(0, 19) })}
            </p>
            <button type="submit" name="intent" value="rebuild">
              {t("rebuild.now")}
            </button>
          </Form>
        )
      ) : ledgerCount > 0 && rebuiltAt ? (
        <p className="form-ok" role="status" data-testid="erasure-complete">
          {t("complete", { at: rebuiltAt.slice(0, 19) })}
        </p>
      ) : null}
      <p>{t("ledger", { count: ledgerCount })}</p>
      {confirming ? (
        <Form method="post" className="form-grid auth-card" data-testid="confirm-erasure">
          <h2>{t("confirm.title", { participant, program })}</h2>
          <p>{t("confirm.text")}</p>
          <input type="hidden" name="programId" value={program} />
          <input type="hidden" name="participantId" value={participant} />
          <label>
            {t("confirm.field")}
            <input name="confirm" required autoComplete="off" />
          </label>
          <button type="submit" name="intent" value="erase">
            {t("confirm.submit")}
          </button>
          <Link to="/admin/erasure">{t("cancel")}</Link>
        </Form>
      ) : (
        <form method="get" className="form-grid auth-card" data-testid="find-participant">
          <label>
            {t("program")}
            <select name="programId" defaultValue={program}>
              {programs.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("participant")}
            <input name="participantId" required defaultValue={participant} autoComplete="off" />
          </label>
          <button type="submit" formAction="/api/admin/participant-export" name="format" value="json">
            {t("export")}
          </button>
          <button type="submit" name="step" value="confirm">
            {t("erase")}
          </button>
        </form>
      )}
    </section>
  );
}
