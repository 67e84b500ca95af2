import type { Locale } from "./locale.ts";
import { MESSAGES, type MessageKey } from "./messages.ts";

export type Vars = Record<string, string | number>;

/** Fills `{name}` placeholders; an unknown placeholder stays visible rather than vanishing. */
export function interpolate(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/**
 * French typography in a French message: a narrow no-break space (U+202F) before ":", ";", "!",
 * "?" and "»" and after "«" instead of an ordinary space, so that "finale : 4,46" never breaks
 * before its colon and reads as Intl writes "61,4 %" and "3 600 €". Only the message's own text:
 * the values put in its placeholders are left as they are.
 */
export function frenchSpacing(text: string): string {
  return text
    .replace(/[ \u00a0]([:;!?»])/g, "\u202f$1")
    .replace(/«[ \u00a0]/g, "«\u202f")
    // Figures written in a message keep together as Intl writes them: "3 600 €", "95 %".
    .replace(/(\d) (?=\d{3}(?!\d))/g, "$1\u202f")
    .replace(/(\d) %/g, "$1\u202f%")
    .replace(/(\d) €/g, "$1\u00a0€");
}

/** A message's template as the locale writes it (French spacing: frenchSpacing). */
function typeset(locale: Locale, template: string): string {
  return locale === "fr" ? frenchSpacing(template) : template;
}

/** A shared message in the locale (falls back to English, then to the key). */
export function translate(locale: Locale, key: MessageKey, vars?: Vars): string {
  const own = MESSAGES[locale][key];
  return interpolate(own !== undefined ? typeset(locale, own) : (MESSAGES.en[key] ?? key), vars);
}

/**
 * A page's own dictionary: `definePageMessages({ en: {...}, fr: {...} })` checks that `fr` has
 * every key of `en`; `pageTranslator(dict, locale)` gives its `t`.
 */
export function definePageMessages<const E extends Record<string, string>>(dict: { en: E; fr: Record<keyof E, string> }) {
  return dict;
}

export function pageTranslator<E extends Record<string, string>>(dict: { en: E; fr: Record<keyof E, string> }, locale: Locale) {
  return (key: keyof E & string, vars?: Vars): string => {
    const own = dict[locale][key];
    return interpolate(own !== undefined ? typeset(locale, own) : (dict.en[key] ?? key), vars);
  };
}
