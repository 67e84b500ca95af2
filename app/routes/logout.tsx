import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { clearSessionCookie, readSessionToken } from "../../analytics/auth/cookie.server.ts";
import { endSession } from "../../analytics/auth/session.server.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";

/** Signing out is a POST (the header's button): a link could be triggered by another site. */
export async function loader() {
  throw redirect("/");
}

/**
 * Ends the session on the server (the token stops working everywhere) and clears the cookie.
 * Only a token whose secret verifies ends a session; a forged one is just cleared.
 */
export async function action({ request }: ActionFunctionArgs) {
  await endSession(await getAppDb(), readSessionToken(request.headers.get("Cookie")));
  return redirect("/login", { headers: { "Set-Cookie": clearSessionCookie() } });
}
