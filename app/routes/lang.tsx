import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { safeRedirect } from "../../analytics/auth/request.server.ts";
import { getConfig } from "../../analytics/config.server.ts";
import { isLocale, localeCookie } from "../i18n/locale.ts";

/**
 * The language switch: a POST form (`lang`, `redirectTo`) — covered by the server's Origin
 * check like every other write — sets the `lang` cookie and goes back to the page.
 */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const lang = form.get("lang");
  const back = safeRedirect(form.get("redirectTo"), "/");
  if (!isLocale(lang)) return redirect(back);
  const secure = getConfig().origin.startsWith("https://");
  return redirect(back, { headers: { "Set-Cookie": localeCookie(lang, secure) } });
}

/** A GET on /lang changes nothing: back to the home page. */
export async function loader(_: LoaderFunctionArgs) {
  return redirect("/");
}
