import { data, redirect } from "@remix-run/node";
import { pageError } from "../domain/page-errors.ts";
import { getAppDb } from "../db/app-db.server.ts";
import { clearSessionCookie, readSessionToken } from "./cookie.server.ts";
import { canAdminister, canViewProgram, scopeOf, type Scope } from "./scope.server.ts";
import { validateSessionToken, type SessionUser, type ValidSession } from "./session.server.ts";

export interface Signed {
  user: SessionUser;
  scope: Scope;
  sessionId: string;
}

/** The signed-in user of a request, or null (no cookie, or a malformed, unknown, expired one). */
export async function getSignedIn(request: Request): Promise<Signed | null> {
  const token = readSessionToken(request.headers.get("Cookie"));
  if (!token) return null;
  const session: ValidSession | null = await validateSessionToken(await getAppDb(), token);
  if (!session) return null;
  return { user: session.user, scope: scopeOf(session.user), sessionId: session.sessionId };
}

/** Loaders and actions of pages: the signed-in user, or a redirect to the login page. */
export async function requireUser(request: Request): Promise<Signed> {
  const signed = await getSignedIn(request);
  if (signed) return signed;
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;
  const login = back === "/" ? "/login" : `/login?${new URLSearchParams({ redirectTo: back })}`;
  const headers = new Headers();
  // A stale or forged cookie is removed so the browser stops sending it.
  if (readSessionToken(request.headers.get("Cookie"))) headers.append("Set-Cookie", clearSessionCookie());
  throw redirect(login, { headers });
}

/** Resource and API routes: the signed-in user, or a 401 JSON answer (never a redirect). */
export async function requireApiUser(request: Request): Promise<Signed> {
  const signed = await getSignedIn(request);
  if (signed) return signed;
  throw Response.json(
    { error: "unauthorized", message: "Sign in first: this resource needs a valid session." },
    { status: 401, headers: { "Cache-Control": "no-store" } },
  );
}

/** Pages for the operator only: other signed-in users get a 403 page. */
export async function requireAdmin(request: Request): Promise<Signed> {
  const signed = await requireUser(request);
  if (!canAdminister(signed.scope)) throw data(pageError("admin_only"), { status: 403 });
  return signed;
}

const PROGRAM_NOT_VISIBLE = "This program does not exist or is not shared with your organization.";

/**
 * Pages about one program (`/programs/:programId/…`): the signed-in user, if the program is
 * visible to their scope; otherwise 404 — the same answer as for a program that does not exist,
 * so an id in a URL neither grants access nor confirms that the program exists.
 */
export async function requireProgram(request: Request, programId: string | undefined): Promise<Signed> {
  const signed = await requireUser(request);
  if (!programId || !(await canViewProgram(await getAppDb(), signed.scope, programId))) {
    throw data(PROGRAM_NOT_VISIBLE, { status: 404 });
  }
  return signed;
}

/** Resource and API routes about one program: 401 when signed out, 404 JSON when not visible. */
export async function requireApiProgram(request: Request, programId: string | undefined): Promise<Signed> {
  const signed = await requireApiUser(request);
  if (!programId || !(await canViewProgram(await getAppDb(), signed.scope, programId))) {
    throw Response.json({ error: "not_found", message: PROGRAM_NOT_VISIBLE }, { status: 404, headers: { "Cache-Control": "no-store" } });
  }
  return signed;
}

/**
 * A same-site path to go back to after sign-in, or the fallback: refuses absolute URLs,
 * protocol-relative `//host` and `/\host` tricks, so the login page is no open redirect.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f]/.test(to)) return fallback;
  return to;
}
