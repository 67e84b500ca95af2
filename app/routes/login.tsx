import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { readSessionToken, sessionCookie } from "../../analytics/auth/cookie.server.ts";
import { login } from "../../analytics/auth/login.server.ts";
import { getSignedIn, safeRedirect } from "../../analytics/auth/request.server.ts";
import { countUsers } from "../../analytics/auth/users.server.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";

export const meta: MetaFunction = () => [{ title: "Sign in · Binôme" }];

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
    return data({ error: result.message }, { status: result.reason === "throttled" ? 429 : 401, headers });
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
  return (
    <section className="auth-card">
      <h1>Sign in</h1>
      {noAccountYet ? (
        <p className="hint">
          No account exists yet. Stop the server and create one with{" "}
          <code>npm run users -- add --username admin --role admin</code>.
        </p>
      ) : null}
      <Form method="post" className="form-grid">
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
        <label>
          Username
          <input name="username" autoComplete="username" required autoFocus maxLength={128} />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required maxLength={512} />
        </label>
        {actionData?.error ? (
          <p className="form-error" role="alert">
            {actionData.error}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </Form>
    </section>
  );
}
