import type { Locale } from "./locale.ts";
import { MESSAGES, type MessageKey } from "./messages.ts";

export type Vars = Record<string, string | number>;

/** Fills `{name}` placeholders; an unknown placeholder stays visible rather than vanishing. */
export function interpolate(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** A shared message in the locale (falls back to English, then to the key). */
export function translate(locale: Locale, key: MessageKey, vars?: Vars): string {
  return interpolate(MESSAGES[locale][key] ?? MESSAGES.en[key] ?? key, vars);
}

/**
 * A page's own dictionary: `definePageMessages({ en: {...}, fr: {...} })` checks that `fr` has
 * every key of `en`; `pageTranslator(dict, locale)` gives its `t`.
 */
export function definePageMessages<const E extends Record<string, string>>(dict: { en: E; fr: Record<keyof E, string> }) {
  return dict;
}

export function pageTranslator<E extends Record<string, string>>(dict: { en: E; fr: Record<keyof E, string> }, locale: Locale) {
  return (key: keyof E & string, vars?: Vars): string => interpolate(dict[locale][key] ?? dict.en[key] ?? key, vars);
}
