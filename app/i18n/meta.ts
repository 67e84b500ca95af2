import { DEFAULT_LOCALE, isLocale, type Locale } from "./locale.ts";
import { pageTranslator } from "./translate.ts";

/** The locale in a route's `meta` arguments (the root loader's `locale`), English when absent. */
export function metaLocale(matches: readonly { id: string; data?: unknown }[]): Locale {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: unknown } | undefined;
  return isLocale(root?.locale) ? root.locale : DEFAULT_LOCALE;
}

/** A page's document title in the reader's language: `meta = ({ matches }) => pageTitle(matches, dict, "title")`. */
export function pageTitle<E extends Record<string, string>>(
  matches: readonly { id: string; data?: unknown }[],
  dict: { en: E; fr: Record<keyof E, string> },
  key: keyof E & string,
): { title: string }[] {
  return [{ title: `${pageTranslator(dict, metaLocale(matches))(key)} · Binôme` }];
}
