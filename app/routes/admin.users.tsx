import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { recordAudit } from "../../analytics/auth/audit.server.ts";
import { generatePassword } from "../../analytics/auth/password.server.ts";
import { requireAdmin } from "../../analytics/auth/request.server.ts";
import { ROLE_LABEL, ROLES } from "../../analytics/domain/roles.ts";
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

export const meta: MetaFunction = () => [{ title: "Users · Binôme" }];

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
        return data<ActionResult>({ ok: true, message: `Created ${username}.`, username, password });
      }
      case "disable":
        if (username === me.username) throw new UserError("You cannot disable your own account.");
        await disableUser(db, username);
        return data<ActionResult>({ ok: true, message: `Disabled ${username}; their sessions have ended.` });
      case "enable":
        await enableUser(db, username);
        return data<ActionResult>({ ok: true, message: `Enabled ${username}.` });
      case "reset-password": {
        const password = generatePassword();
        await resetPassword(db, username, password);
        return data<ActionResult>({ ok: true, message: `New password for ${username}.`, username, password });
      }
      default:
        return data<ActionResult>({ ok: false, message: "Unknown action." }, { status: 400 });
    }
  } catch (error) {
    if (error instanceof UserError) return data<ActionResult>({ ok: false, message: error.message }, { status: 400 });
    throw error;
  }
}

export default function AdminUsers() {
  const { users, organizations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="admin-grid">
      <h1>Users</h1>
      {result ? (
        <div className={result.ok ? "form-ok" : "form-error"} role={result.ok ? "status" : "alert"}>
          <p>{result.message}</p>
          {result.password ? (
            <p>
              Password for <strong>{result.username}</strong> (shown only now; hand it over privately):{" "}
              <span className="secret">{result.password}</span>
            </p>
          ) : null}
        </div>
      ) : null}
      <table className="data" aria-label="Users">
        <thead>
          <tr>
            <th scope="col">Username</th>
            <th scope="col">Role</th>
            <th scope="col">Organization</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">Sessions</th>
            <th scope="col">Actions</th>
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
              <td>{ROLE_LABEL[u.role] ?? u.role}</td>
              <td>{u.org_id ? `${u.org_name ?? u.org_id} (${u.org_id})` : "all"}</td>
              <td>{u.disabled_at ? `disabled ${u.disabled_at.slice(0, 10)}` : "active"}</td>
              <td className="num">{u.sessions}</td>
              <td>
                <Form method="post" className="form-inline">
                  <input type="hidden" name="username" value={u.username} />
                  {u.disabled_at ? (
                    <button type="submit" name="intent" value="enable">
                      Enable
                    </button>
                  ) : (
                    <button type="submit" name="intent" value="disable">
                      Disable
                    </button>
                  )}
                  <button type="submit" name="intent" value="reset-password">
                    Reset password
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div>
        <h2>Add a user</h2>
        <Form method="post" className="form-grid auth-card">
          <input type="hidden" name="intent" value="add" />
          <label>
            Username <span className="hint">(an e-mail address works)</span>
            <input name="username" required maxLength={64} autoComplete="off" />
          </label>
          <label>
            Display name
            <input name="displayName" maxLength={100} autoComplete="off" />
          </label>
          <label>
            Role
            <select name="role" defaultValue="hr">
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABEL[role]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Organization <span className="hint">(none for an admin)</span>
            <select name="orgId" defaultValue="">
              <option value="">—</option>
              {organizations.map((o) => (
                <option key={o.org_id} value={o.org_id}>
                  {o.name} ({o.org_id})
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Add (a password is generated)</button>
        </Form>
      </div>
    </section>
  );
}
