import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireAdmin } from "../../analytics/auth/request.server.ts";
import { getConfig } from "../../analytics/config.server.ts";
import { getAppDb, getImportDb } from "../../analytics/db/app-db.server.ts";
import { recordOpsAudit } from "../../analytics/ops/audit.server.ts";
import { backupFromServer, listBackups, verifyBackup, verifyNamedBackup } from "../../analytics/ops/backup.server.ts";
import { adminBackupsMessages } from "../i18n/pages/admin-backups.ts";
import { pageTitle } from "../i18n/meta.ts";
import { useT, usePageT } from "../i18n/use-t.ts";
import { OpsNav } from "../components/OpsNav.tsx";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, adminBackupsMessages, "title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const dir = getConfig().backupDir;
  return { dir, backups: listBackups(dir) };
}

type ActionResult = {
  ok: boolean;
  key: "done.backup" | "done.verify" | "error.verify" | "error.backup" | "error.unknown";
  name?: string;
  tables?: number;
  rows?: number;
  message?: string;
};

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function action({ request }: ActionFunctionArgs) {
  const { scope } = await requireAdmin(request);
  const dir = getConfig().backupDir;
  const form = await request.formData();
  switch (form.get("intent")) {
    case "backup": {
      // Audited on the pages' connection (single statements, never inside a transaction); the
      // backup itself reads one transaction's snapshot on the data-operations connection.
      await recordOpsAudit(await getAppDb(), scope, "backup_database", { folder: dir });
      let made: Awaited<ReturnType<typeof backupFromServer>>;
      try {
        made = await backupFromServer(await getImportDb(), dir);
      } catch (error) {
        console.error("backup failed:", error);
        return data<ActionResult>({ ok: false, key: "error.backup", message: messageOf(error) }, { status: 500 });
      }
      try {
        await verifyBackup(made.path);
      } catch (error) {
        return data<ActionResult>({ ok: false, key: "error.verify", name: made.name, message: messageOf(error) }, { status: 500 });
      }
      const rows = Object.values(made.manifest.tables).reduce((a, b) => a + b, 0);
      return data<ActionResult>({ ok: true, key: "done.backup", name: made.name, tables: Object.keys(made.manifest.tables).length, rows });
    }
    case "verify": {
      const name = String(form.get("name") ?? "");
      try {
        await verifyNamedBackup(dir, name);
        return data<ActionResult>({ ok: true, key: "done.verify", name });
      } catch (error) {
        return data<ActionResult>({ ok: false, key: "error.verify", name, message: messageOf(error) }, { status: 400 });
      }
    }
    default:
      return data<ActionResult>({ ok: false, key: "error.unknown" }, { status: 400 });
  }
}

function formatBytes(bytes: number, number: (v: number, digits?: number) => string, t: (key: "size.GB" | "size.MB" | "size.kB" | "size.B", vars: { n: string }) => string): string {
  if (bytes >= 1024 ** 3) return t("size.GB", { n: number(bytes / 1024 ** 3, 1) });
  if (bytes >= 1024 ** 2) return t("size.MB", { n: number(bytes / 1024 ** 2, 1) });
  if (bytes >= 1024) return t("size.kB", { n: number(bytes / 1024, 0) });
  return t("size.B", { n: number(bytes, 0) });
}

export default function AdminBackups() {
  const { dir, backups } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = usePageT(adminBackupsMessages);
  const { f } = useT();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === "backup";
  // The checksums of the backup just made or just checked; the others are not read on each view.
  const checked = result && result.name && (result.key === "done.backup" || result.key === "done.verify" || result.key === "error.verify") ? { name: result.name, ok: result.ok, message: result.message ?? "" } : null;
  return (
    <section className="admin-grid ops-page">
      <h1>{t("title")}</h1>
      <OpsNav />
      <p>{t("intro", { dir })}</p>
      {result ? (
        <div className={result.ok ? "form-ok" : "form-error"} role={result.ok ? "status" : "alert"} data-testid="backups-result">
          <p>{t(result.key, { name: result.name ?? "", tables: result.tables ?? 0, rows: f.number(result.rows ?? 0, 0), message: result.message ?? "" })}</p>
        </div>
      ) : null}
      <Form method="post" className="form-inline">
        <button type="submit" name="intent" value="backup" disabled={busy}>
          {busy ? t("backup.running") : t("backup.submit")}
        </button>
      </Form>
      {backups.length === 0 ? (
        <p data-testid="backups-empty">{t("empty")}</p>
      ) : (
        <table className="data" aria-label={t("title")}>
          <thead>
            <tr>
              <th scope="col">{t("col.name")}</th>
              <th scope="col">{t("col.created")}</th>
              <th scope="col" className="num">{t("col.schema")}</th>
              <th scope="col" className="num">{t("col.rows")}</th>
              <th scope="col" className="num">{t("col.size")}</th>
              <th scope="col">{t("col.check")}</th>
            </tr>
          </thead>
          <tbody>
            {backups.map((b) => {
              const state = b.problem ? "unreadable" : checked?.name === b.name ? (checked.ok ? "verified" : "damaged") : "unchecked";
              return (
                <tr key={b.name} data-backup={b.name} data-check={state}>
                  <td>
                    <code>{b.name}</code>
                  </td>
                  <td className="nowrap">{f.dateTime(b.created_at)}</td>
                  <td className="num">{b.schema_version ?? "–"}</td>
                  <td className="num">{b.total_rows === null ? "–" : f.number(b.total_rows, 0)}</td>
                  <td className="num">{formatBytes(b.bytes, f.number, t)}</td>
                  <td>
                    {state === "unreadable" ? (
                      <small>{t("check.unreadable", { message: b.problem ?? "" })}</small>
                    ) : state === "verified" ? (
                      <small>{t("check.ok")}</small>
                    ) : state === "damaged" ? (
                      <small>{t("check.failed", { message: checked?.message ?? "" })}</small>
                    ) : (
                      <Form method="post" className="form-inline">
                        <input type="hidden" name="name" value={b.name} />
                        <button type="submit" name="intent" value="verify">
                          {t("verify")}
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
