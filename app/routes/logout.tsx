import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { clearSessionCookie, readSessionToken } from "../../analytics/auth/cookie.server.ts";
import { invalidateSession, sessionIdOf } from "../../analytics/auth/session.server.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";

/** Signing out is a POST (the header's button): a link could be triggered by another site. */
export async function loader() {
  throw redirect("/");
}

/** Ends the session on the server (the token stops working everywhere) and clears the cookie. */
export async function action({ request }: ActionFunctionArgs) {
  const sessionId = sessionIdOf(readSessionToken(request.headers.get("Cookie")));
  if (sessionId) await invalidateSession(await getAppDb(), sessionId);
  return redirect("/login", { headers: { "Set-Cookie": clearSessionCookie() } });
}
