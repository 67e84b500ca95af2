import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { readSessionToken, sessionCookie } from "../../analytics/auth/cookie.server.ts";
import { login } from "../../analytics/auth/login.server.ts";
import { getSignedIn, safeRedirect } from "../../analytics/auth/request.server.ts";
import { countUsers } from "../../analytics/auth/users.server.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";
import { localeFromRequest } from "../i18n/locale.ts";
import { pageTitle } from "../i18n/meta.ts";
import { authMessages, throttledText } from "../i18n/pages/auth.ts";
import { pageTranslator } from "../i18n/translate.ts";
import { rich } from "../i18n/rich.tsx";
import { usePageT } from "../i18n/use-t.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, authMessages, "login.title");

/**
 * A throttled sign-in's 429 carries `Retry-After`. Remix builds the headers of a document and of
 * a single-fetch `.data` answer alike from the routes' `headers` exports: without this one, the
 * action's headers would be dropped (Set-Cookie excepted).
 */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  if (await getSignedIn(request)) throw redirect(redirectTo);
  return { noAccountYet: (await countUsers(await getAppDb())) === 0 };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const result = await login(await getAppDb(), {
    username: field("username"),
    password: field("password"),
    ip: context.clientIp ?? null,
    previousSessionToken: readSessionToken(request.headers.get("Cookie")),
  });
  if (!result.ok) {
    const headers: Record<string, string> =
      result.reason === "throttled" ? { "Retry-After": String(result.retryAfterSeconds) } : {};
    // The one message for every refusal, in the reader's language (analytics/auth/login.server.ts).
    const locale = localeFromRequest(request);
    const error = result.reason === "throttled" ? throttledText(locale, result.retryAfterSeconds) : pageTranslator(authMessages, locale)("login.invalid");
    return data({ error }, { status: result.reason === "throttled" ? 429 : 401, headers });
  }
  return redirect(safeRedirect(field("redirectTo")), {
    headers: { "Set-Cookie": sessionCookie(result.token, result.expiresAt) },
  });
}

export default function Login() {
  const { noAccountYet } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const t = usePageT(authMessages);
  return (
    <section className="auth-card">
      <h1>{t("login.title")}</h1>
      {noAccountYet ? (
        <p className="hint">
          {rich(t("login.noAccount"), { command: <code>npm run users -- add --username admin --role admin</code> })}
        </p>
      ) : null}
      <Form method="post" className="form-grid">
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
        <label>
          {t("login.username")}
          <input name="username" autoComplete="username" required autoFocus maxLength={128} />
        </label>
        <label>
          {t("login.password")}
          <input name="password" type="password" autoComplete="current-password" required maxLength={512} />
        </label>
        {actionData?.error ? (
          <p className="form-error" role="alert">
            {actionData.error}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {busy ? t("login.busy") : t("login.submit")}
        </button>
      </Form>
    </section>
  );
}
