import { useRouteLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { formatters } from "./format.ts";
import { DEFAULT_LOCALE, isLocale, type Locale } from "./locale.ts";
import type { MessageKey } from "./messages.ts";
import { pageTranslator, translate, type Vars } from "./translate.ts";

/** The request's locale, from the root loader (`{ locale }`); English when it is missing (error pages). */
export function useLocale(): Locale {
  const data = useRouteLoaderData("root") as { locale?: unknown } | undefined;
  return isLocale(data?.locale) ? data.locale : DEFAULT_LOCALE;
}

/**
 * `const { t, f, locale } = useT()`: `t("tab.overview")` for shared strings, `f.number(…)`,
 * `f.percent(…)`, `f.money(v, currency)`, `f.date(iso)`, `f.month("2026-03")` for values.
 */
export function useT() {
  const locale = useLocale();
  return useMemo(
    () => ({ locale, t: (key: MessageKey, vars?: Vars) => translate(locale, key, vars), f: formatters(locale) }),
    [locale],
  );
}

/** A page dictionary's `t` for the current locale: `const pt = usePageT(overviewMessages)`. */
export function usePageT<E extends Record<string, string>>(dict: { en: E; fr: Record<keyof E, string> }) {
  const locale = useLocale();
  return useMemo(() => pageTranslator(dict, locale), [dict, locale]);
}
