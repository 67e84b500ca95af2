import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { sessionCookie } from "../../analytics/auth/cookie.server.ts";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../analytics/auth/password.server.ts";
import { requireUser } from "../../analytics/auth/request.server.ts";
import { ROLE_LABEL } from "../../analytics/domain/roles.ts";
import { changeOwnPassword, UserError } from "../../analytics/auth/users.server.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";

export const meta: MetaFunction = () => [{ title: "Your account · Binôme" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireUser(request);
  return {
    user: { username: user.username, displayName: user.displayName, role: user.role, orgId: user.orgId },
    rules: { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = await requireUser(request);
  const form = await request.formData();
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  if (field("newPassword") !== field("confirmPassword")) {
    return data({ ok: false, message: "The two new passwords differ." }, { status: 400 });
  }
  try {
    const session = await changeOwnPassword(await getAppDb(), {
      userId: user.userId,
      currentPassword: field("currentPassword"),
      newPassword: field("newPassword"),
      ip: context.clientIp ?? null,
    });
    return data(
      { ok: true, message: "Password changed. Every other session of this account has been signed out." },
      { headers: { "Set-Cookie": sessionCookie(session.token, session.expiresAt) } },
    );
  } catch (error) {
    if (error instanceof UserError) return data({ ok: false, message: error.message }, { status: 400 });
    throw error;
  }
}

export default function Account() {
  const { user, rules } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="auth-card">
      <h1>Your account</h1>
      <p>
        <strong>{user.displayName ?? user.username}</strong> ({user.username})
        <br />
        {ROLE_LABEL[user.role]}
        {user.orgId ? ` · organization ${user.orgId}` : " · every organization"}
      </p>
      <h2>Change your password</h2>
      <Form method="post" className="form-grid">
        <label>
          Current password
          <input name="currentPassword" type="password" autoComplete="current-password" required />
        </label>
        <label>
          New password <span className="hint">({rules.min} to {rules.max} characters)</span>
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
          New password again
          <input name="confirmPassword" type="password" autoComplete="new-password" required />
        </label>
        {result ? (
          <p className={result.ok ? "form-ok" : "form-error"} role={result.ok ? "status" : "alert"}>
            {result.message}
          </p>
        ) : null}
        <button type="submit">Change password</button>
      </Form>
    </section>
  );
}
