/**
 * The interface language. Chosen per request on the server (`localeFromRequest`): the `lang`
 * cookie set by the switch (`/lang`), else the browser's Accept-Language (French when the
 * browser prefers French to English), else English. Pure: usable in the browser too.
 */
export const LOCALES = ["en", "fr"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";
export const LOCALE_COOKIE = "lang";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The `lang` cookie's value from a Cookie header, if it names a known locale. */
export function localeFromCookie(cookieHeader: string | null | undefined): Locale | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === LOCALE_COOKIE) {
      const value = decodeURIComponent(rest.join("="));
      return isLocale(value) ? value : null;
    }
  }
  return null;
}

/**
 * The preferred of our locales in an Accept-Language header (`fr-FR,fr;q=0.9,en;q=0.8` → fr),
 * by q-value then order; null when it names neither French nor English.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale | null {
  if (!header) return null;
  const ranges = header
    .split(",")
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const weight = q ? Number(q.slice(2)) : 1;
      return { lang: tag.trim().toLowerCase().split("-")[0], weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((r) => r.weight > 0 && isLocale(r.lang))
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranges.length > 0 ? (ranges[0].lang as Locale) : null;
}

/** The locale of a request: cookie, else Accept-Language, else English. */
export function localeFromRequest(request: Request): Locale {
  return (
    localeFromCookie(request.headers.get("Cookie")) ??
    localeFromAcceptLanguage(request.headers.get("Accept-Language")) ??
    DEFAULT_LOCALE
  );
}

/** Set-Cookie value remembering the chosen locale for a year (not HttpOnly: nothing secret). */
export function localeCookie(locale: Locale, secure = false): string {
  return `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax${secure ? "; Secure" : ""}`;
}
