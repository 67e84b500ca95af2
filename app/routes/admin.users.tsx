import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { recordAudit } from "../../analytics/auth/audit.server.ts";
import { generatePassword } from "../../analytics/auth/password.server.ts";
import { requireAdmin } from "../../analytics/auth/request.server.ts";
import { ROLES } from "../../analytics/domain/roles.ts";
import {
  createUser,
  disableUser,
  enableUser,
  listOrganizations,
  listUsers,
  normalizeUsername,
  resetPassword,
  UserError,
} from "../../analytics/auth/users.server.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";
import { localeFromRequest } from "../i18n/locale.ts";
import type { MessageKey } from "../i18n/messages.ts";
import { pageTitle } from "../i18n/meta.ts";
import { adminUsersMessages } from "../i18n/pages/admin-users.ts";
import { userErrorText } from "../i18n/pages/auth.ts";
import { pageTranslator } from "../i18n/translate.ts";
import { usePageT, useT } from "../i18n/use-t.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, adminUsersMessages, "title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const db = await getAppDb();
  return { users: await listUsers(db), organizations: await listOrganizations(db) };
}

type ActionResult = { ok: boolean; message: string; password?: string; username?: string };

export async function action({ request }: ActionFunctionArgs) {
  const { user: me, scope } = await requireAdmin(request);
  const db = await getAppDb();
  const form = await request.formData();
  const locale = localeFromRequest(request);
  const t = pageTranslator(adminUsersMessages, locale);
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const username = normalizeUsername(field("username"));
  const intent = field("intent");
  try {
    if (["add", "disable", "enable", "reset-password"].includes(intent)) {
      await recordAudit(db, scope, "manage_users", { intent, username, role: field("role") || undefined });
    }
    switch (intent) {
      case "add": {
        const password = generatePassword();
        await createUser(db, {
          username,
          role: field("role"),
          orgId: field("orgId") || null,
          displayName: field("displayName") || null,
          password,
        });
        return data<ActionResult>({ ok: true, message: t("done.add", { username }), username, password });
      }
      case "disable":
        if (username === me.username) throw new UserError("You cannot disable your own account.", "disableSelf");
        await disableUser(db, username);
        return data<ActionResult>({ ok: true, message: t("done.disable", { username }) });
      case "enable":
        await enableUser(db, username);
        return data<ActionResult>({ ok: true, message: t("done.enable", { username }) });
      case "reset-password": {
        const password = generatePassword();
        await resetPassword(db, username, password);
        return data<ActionResult>({ ok: true, message: t("done.reset", { username }), username, password });
      }
      default:
        return data<ActionResult>({ ok: false, message: t("error.unknown") }, { status: 400 });
    }
  } catch (error) {
    if (error instanceof UserError) return data<ActionResult>({ ok: false, message: userErrorText(locale, error) }, { status: 400 });
    throw error;
  }
}

export default function AdminUsers() {
  const { users, organizations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = usePageT(adminUsersMessages);
  const { t: shared, f } = useT();
  const roleLabel = (role: string) => shared(`userRole.${role}` as MessageKey);
  return (
    <section className="admin-grid">
      <h1>{t("title")}</h1>
      {result ? (
        <div className={result.ok ? "form-ok" : "form-error"} role={result.ok ? "status" : "alert"}>
          <p>{result.message}</p>
          {result.password ? (
            <p>
              {t("password", { username: result.username ?? "" })} <span className="secret">{result.password}</span>
            </p>
          ) : null}
        </div>
      ) : null}
      <table className="data" aria-label={t("title")}>
        <thead>
          <tr>
            <th scope="col">{t("col.username")}</th>
            <th scope="col">{t("col.role")}</th>
            <th scope="col">{t("col.org")}</th>
            <th scope="col">{t("col.status")}</th>
            <th scope="col" className="num">{t("col.sessions")}</th>
            <th scope="col">{t("col.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.user_id} data-username={u.username}>
              <td>
                <strong>{u.username}</strong>
                {u.display_name ? (
                  <>
                    <br />
                    <small>{u.display_name}</small>
                  </>
                ) : null}
              </td>
              <td>{roleLabel(u.role)}</td>
              <td>{u.org_id ? `${u.org_name ?? u.org_id} (${u.org_id})` : t("org.all")}</td>
              <td>{u.disabled_at ? t("status.disabled", { date: f.date(u.disabled_at.slice(0, 10)) }) : t("status.active")}</td>
              <td className="num">{u.sessions}</td>
              <td>
                <Form method="post" className="form-inline">
                  <input type="hidden" name="username" value={u.username} />
                  {u.disabled_at ? (
                    <button type="submit" name="intent" value="enable">
                      {t("enable")}
                    </button>
                  ) : (
                    <button type="submit" name="intent" value="disable">
                      {t("disable")}
                    </button>
                  )}
                  <button type="submit" name="intent" value="reset-password">
                    {t("reset")}
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div>
        <h2>{t("add.title")}</h2>
        <Form method="post" className="form-grid auth-card">
          <input type="hidden" name="intent" value="add" />
          <label>
            {t("add.username")} <span className="hint">{t("add.usernameHint")}</span>
            <input name="username" required maxLength={64} autoComplete="off" />
          </label>
          <label>
            {t("add.displayName")}
            <input name="displayName" maxLength={100} autoComplete="off" />
          </label>
          <label>
            {t("add.role")}
            <select name="role" defaultValue="hr">
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {roleLabel(role)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("add.org")} <span className="hint">{t("add.orgHint")}</span>
            <select name="orgId" defaultValue="">
              <option value="">—</option>
              {organizations.map((o) => (
                <option key={o.org_id} value={o.org_id}>
                  {o.name} ({o.org_id})
                </option>
              ))}
            </select>
          </label>
          <button type="submit">{t("add.submit")}</button>
        </Form>
      </div>
    </section>
  );
}
