import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { sessionCookie } from "../../analytics/auth/cookie.server.ts";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../analytics/auth/password.server.ts";
import { requireUser } from "../../analytics/auth/request.server.ts";
import { changeOwnPassword, UserError } from "../../analytics/auth/users.server.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";
import { localeFromRequest } from "../i18n/locale.ts";
import type { MessageKey } from "../i18n/messages.ts";
import { pageTitle } from "../i18n/meta.ts";
import { authMessages, userErrorText } from "../i18n/pages/auth.ts";
import { pageTranslator } from "../i18n/translate.ts";
import { usePageT, useT } from "../i18n/use-t.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, authMessages, "account.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireUser(request);
  return {
    user: { username: user.username, displayName: user.displayName, role: user.role, orgId: user.orgId, orgName: user.orgName },
    rules: { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = await requireUser(request);
  const form = await request.formData();
  const locale = localeFromRequest(request);
  const t = pageTranslator(authMessages, locale);
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  if (field("newPassword") !== field("confirmPassword")) {
    return data({ ok: false, message: t("account.differ") }, { status: 400 });
  }
  try {
    const session = await changeOwnPassword(await getAppDb(), {
      userId: user.userId,
      currentPassword: field("currentPassword"),
      newPassword: field("newPassword"),
      ip: context.clientIp ?? null,
    });
    return data(
      { ok: true, message: t("account.changed") },
      { headers: { "Set-Cookie": sessionCookie(session.token, session.expiresAt) } },
    );
  } catch (error) {
    if (error instanceof UserError) return data({ ok: false, message: userErrorText(locale, error) }, { status: 400 });
    throw error;
  }
}

export default function Account() {
  const { user, rules } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = usePageT(authMessages);
  const { t: shared } = useT();
  return (
    <section className="auth-card">
      <h1>{t("account.title")}</h1>
      <p>
        <strong>{user.displayName ?? user.username}</strong> ({user.username})
        <br />
        {shared(`userRole.${user.role}` as MessageKey)} · {user.orgId ? t("account.org", { org: user.orgName ?? user.orgId }) : t("account.allOrgs")}
      </p>
      <h2>{t("account.change")}</h2>
      <Form method="post" className="form-grid">
        <label>
          {t("account.current")}
          <input name="currentPassword" type="password" autoComplete="current-password" required />
        </label>
        <label>
          {t("account.new")} <span className="hint">{t("account.rule", { min: rules.min, max: rules.max })}</span>
          <input
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            minLength={rules.min}
            maxLength={rules.max}
          />
        </label>
        <label>
          {t("account.again")}
          <input name="confirmPassword" type="password" autoComplete="new-password" required />
        </label>
        {result ? (
          <p className={result.ok ? "form-ok" : "form-error"} role={result.ok ? "status" : "alert"}>
            {result.message}
          </p>
        ) : null}
        <button type="submit">{t("account.submit")}</button>
      </Form>
    </section>
  );
}
