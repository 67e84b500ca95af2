import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireAdmin } from "../../analytics/auth/request.server.ts";
import { getAppDb, getImportDb } from "../../analytics/db/app-db.server.ts";
import { recordOpsAudit } from "../../analytics/ops/audit.server.ts";
import { deleteProgram, listDeletedPrograms, listProgramsForAdmin, ProgramOpError, setCostPerDeparture, undoLastChange } from "../../analytics/ops/programs.server.ts";
import { adminProgramsMessages } from "../i18n/pages/admin-programs.ts";
import { pageTitle } from "../i18n/meta.ts";
import { usePageT, useT } from "../i18n/use-t.ts";
import { OpsNav } from "../components/OpsNav.tsx";
import { latestAudits, runPrivacyAudit, UnknownProgramError } from "../../analytics/audit/run.server.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, adminProgramsMessages, "title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const db = await getAppDb();
  const audits = await latestAudits(db);
  return { programs: await listProgramsForAdmin(db), deleted: await listDeletedPrograms(db), audits: Object.fromEntries(audits) };
}

type ActionResult = { ok: boolean; key: "done.delete" | "done.undo" | "done.undoAdded" | "done.audit" | "done.auditFindings" | "done.cost" | "done.costCleared" | "error.cost" | "error.confirm" | "error.noProgram" | "error.nothingToUndo" | "error.unknown" | null; message?: string; program?: string; rows?: number; reason?: string };

export async function action({ request }: ActionFunctionArgs) {
  const { scope } = await requireAdmin(request);
  // The operation's transaction on the data-operations connection, the audit entry on the
  // pages' one, so that neither captures the other (decision 0010).
  const db = await getImportDb();
  const pagesDb = await getAppDb();
  const form = await request.formData();
  const program = String(form.get("programId") ?? "");
  try {
    switch (form.get("intent")) {
      case "delete": {
        if (String(form.get("confirm") ?? "").trim() !== program) return data<ActionResult>({ ok: false, key: "error.confirm", program }, { status: 400 });
        await recordOpsAudit(pagesDb, scope, "delete_program", { programId: program });
        const { rowsRemoved } = await deleteProgram(db, program, { keepUndo: true });
        return data<ActionResult>({ ok: true, key: "done.delete", program, rows: rowsRemoved });
      }
      case "undo": {
        await recordOpsAudit(pagesDb, scope, "undo_program", { programId: program });
        const { snapshot, restoredProgram } = await undoLastChange(db, program);
        return data<ActionResult>({ ok: true, key: restoredProgram ? "done.undo" : "done.undoAdded", program, reason: snapshot.reason });
      }
      case "audit": {
        // Read-only on the data: the marts and the record of the run, on the pages' connection.
        const run = await runPrivacyAudit(pagesDb, program);
        await recordOpsAudit(pagesDb, scope, "privacy_audit", { programId: program });
        return data<ActionResult>({ ok: run.ok, key: run.ok ? "done.audit" : "done.auditFindings", program, rows: run.findings.length });
      }
      case "cost": {
        // The impact's money (issue 13): empty clears it; never a default.
        const raw = String(form.get("costPerDeparture") ?? "").trim().replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
        const cost = raw === "" ? null : /^\d+(\.\d{1,2})?$/.test(raw) && Number(raw) > 0 ? Number(raw) : Number.NaN;
        if (Number.isNaN(cost)) return data<ActionResult>({ ok: false, key: "error.cost", program }, { status: 400 });
        await recordOpsAudit(pagesDb, scope, "set_cost_per_departure", { programId: program, cost_per_departure: cost });
        await setCostPerDeparture(db, program, cost);
        return data<ActionResult>({ ok: true, key: cost === null ? "done.costCleared" : "done.cost", program, rows: cost ?? 0 });
      }
      default:
        return data<ActionResult>({ ok: false, key: "error.unknown" }, { status: 400 });
    }
  } catch (error) {
    if (error instanceof UnknownProgramError) return data<ActionResult>({ ok: false, key: "error.noProgram", program }, { status: 400 });
    if (error instanceof ProgramOpError) {
      const key = error.code === "noProgram" ? "error.noProgram" : error.code === "nothingToUndo" ? "error.nothingToUndo" : error.code === "badCost" ? "error.cost" : null;
      return data<ActionResult>({ ok: false, key, program, message: error.message }, { status: 400 });
    }
    throw error;
  }
}

export default function AdminPrograms() {
  const { programs, deleted, audits } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const t = usePageT(adminProgramsMessages);
  const { t: shared, f } = useT();
  const confirming = params.get("delete");
  return (
    <section className="admin-grid ops-page">
      <h1>{t("title")}</h1>
      <OpsNav />
      <p>{t("intro")}</p>
      {result ? (
        <div className={result.ok ? "form-ok" : "form-error"} role={result.ok ? "status" : "alert"} data-testid="programs-result">
          <p>{result.key ? t(result.key, { program: result.program ?? "", rows: result.rows ?? 0, reason: result.reason ?? "" }) : result.message}</p>
        </div>
      ) : null}
      {confirming && programs.some((p) => p.program_id === confirming) && !(result?.ok && result.key === "done.delete") ? (
        <Form method="post" className="form-grid auth-card" data-testid="confirm-delete">
          <h2>{t("confirm.title", { program: confirming })}</h2>
          <p>{t("confirm.text")}</p>
          <input type="hidden" name="programId" value={confirming} />
          <label>
            {t("confirm.field")}
            <input name="confirm" required autoComplete="off" />
          </label>
          <button type="submit" name="intent" value="delete">
            {t("confirm.submit")}
          </button>
          <Link to="/admin/programs">{t("cancel")}</Link>
        </Form>
      ) : null}
      <table className="data" aria-label={t("title")}>
        <thead>
          <tr>
            <th scope="col">{t("col.program")}</th>
            <th scope="col">{t("col.dates")}</th>
            <th scope="col" className="num">{t("col.participants")}</th>
            <th scope="col" className="num">{t("col.pairs")}</th>
            <th scope="col">{t("col.audit")}</th>
            <th scope="col">{t("col.cost")}</th>
            <th scope="col">{t("col.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {programs.map((p) => (
            <tr key={p.program_id} data-program-id={p.program_id}>
              <td>
                <Link to={`/programs/${encodeURIComponent(p.program_id)}`}>
                  <strong>{p.name}</strong>
                </Link>{" "}
                <small>({p.program_id}, {p.kind === "inter" || p.kind === "intra" ? shared(`program.kind.${p.kind}`) : p.kind})</small>
              </td>
              <td>
                <span className="nowrap">{f.date(p.start_date)}</span> – <span className="nowrap">{f.date(p.end_date)}</span>
                {p.purge_after ? (
                  <>
                    <br />
                    <small data-purge-after={p.purge_after}>{t("retention", { date: f.date(p.purge_after), months: p.retention_months ?? "" })}</small>
                  </>
                ) : null}
              </td>
              <td className="num">{f.number(p.participants, 0)}</td>
              <td className="num">{f.number(p.pairs, 0)}</td>
              <td data-audit={audits[p.program_id] ? (audits[p.program_id].findings === 0 ? "ok" : "findings") : "none"}>
                {audits[p.program_id] ? (
                  <small>
                    {audits[p.program_id].findings === 0
                      ? t("audit.ok", { when: audits[p.program_id].run_at, cells: audits[p.program_id].hidden_cells, views: audits[p.program_id].views })
                      : t("audit.findings", { when: audits[p.program_id].run_at, n: audits[p.program_id].findings })}
                  </small>
                ) : (
                  <small>{t("audit.none")}</small>
                )}
                <Form method="post" className="form-inline">
                  <input type="hidden" name="programId" value={p.program_id} />
                  <button type="submit" name="intent" value="audit">
                    {t("audit.run")}
                  </button>
                </Form>
              </td>
              <td data-cost-per-departure={p.cost_per_departure ?? ""}>
                <Form method="post" className="form-inline">
                  <input type="hidden" name="programId" value={p.program_id} />
                  <label>
                    <span className="visually-hidden">{t("col.cost")}</span>
                    <input name="costPerDeparture" inputMode="decimal" size={9} defaultValue={p.cost_per_departure ?? ""} placeholder={t("cost.none")} />
                  </label>{" "}
                  <button type="submit" name="intent" value="cost">
                    {t("cost.save")}
                  </button>
                </Form>
              </td>
              <td>
                <Form method="post" className="form-inline">
                  <input type="hidden" name="programId" value={p.program_id} />
                  <Link to={`/admin/programs?delete=${encodeURIComponent(p.program_id)}`}>{t("delete")}</Link>{" "}
                  {p.last_snapshot ? (
                    <button type="submit" name="intent" value="undo">
                      {t("undo", { reason: p.last_snapshot.reason, when: f.dateTime(String(p.last_snapshot.taken_at)) })}
                    </button>
                  ) : (
                    <small>{t("undo.none")}</small>
                  )}
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {deleted.length > 0 ? (
        <>
          <h2>{t("deleted")}</h2>
          <ul>
            {deleted.map((s) => (
              <li key={s.snapshot_id} data-deleted-program={s.program_id}>
                <Form method="post" className="form-inline">
                  {s.program_id} <small>({f.dateTime(String(s.taken_at))})</small>{" "}
                  <input type="hidden" name="programId" value={s.program_id} />
                  <button type="submit" name="intent" value="undo">
                    {t("restore")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
