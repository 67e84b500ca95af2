import type { Locale } from "./locale.ts";

/**
 * Number, percent, money and date formatting through Intl for the locale. Every formatter
 * takes `null` (not computable or hidden) and returns the `missing` text for it (default "–"),
 * so a page never prints NaN, Infinity or a misleading 0.
 */
export const MISSING = "–";
const INTL_LOCALE: Record<Locale, string> = { en: "en-GB", fr: "fr-FR" };

/** The BCP 47 tag Intl uses for our locale (en → en-GB for day-month dates). */
export function intlLocale(locale: Locale): string {
  return INTL_LOCALE[locale];
}

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function numberFormat(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.NumberFormat(INTL_LOCALE[locale], options)));
  return f;
}
function dateFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(INTL_LOCALE[locale], { timeZone: "UTC", ...options })));
  return f;
}

const ok = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v);

/** 1234.5 → "1,234.5" (en) / "1 234,5" (fr); `digits` = maximum fraction digits (default 1). */
export function formatNumber(locale: Locale, value: number | null | undefined, digits = 1, missing = MISSING): string {
  return ok(value) ? numberFormat(locale, { maximumFractionDigits: digits }).format(value) : missing;
}

/** A share in [0, 1] → "42.5%" (en) / "42,5 %" (fr). */
export function formatPercent(locale: Locale, value: number | null | undefined, digits = 1, missing = MISSING): string {
  return ok(value) ? numberFormat(locale, { style: "percent", maximumFractionDigits: digits }).format(value) : missing;
}

/** Money in the program's currency (ISO 4217), no cents above 100. */
export function formatMoney(locale: Locale, value: number | null | undefined, currency: string, missing = MISSING): string {
  if (!ok(value)) return missing;
  const digits = Math.abs(value) >= 100 ? 0 : 2;
  try {
    return numberFormat(locale, { style: "currency", currency, maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
  } catch {
    // An unknown currency code: the number and the code, never a crash.
    return `${formatNumber(locale, value, digits)} ${currency}`;
  }
}

function parseIso(iso: string): Date | null {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(iso);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, m[3] ? Number(m[3]) : 1));
  return Number.isNaN(d.getTime()) ? null : d;
}

/** An ISO date `YYYY-MM-DD` → "26 Nov 2026" (en) / "26 nov. 2026" (fr). */
export function formatDate(locale: Locale, iso: string | null | undefined, missing = MISSING): string {
  const d = iso ? parseIso(iso) : null;
  return d ? dateFormat(locale, { dateStyle: "medium" }).format(d) : missing;
}

/** A month `YYYY-MM` → "Nov 2026" (en) / "nov. 2026" (fr). */
export function formatMonth(locale: Locale, month: string | null | undefined, missing = MISSING): string {
  const d = month ? parseIso(month) : null;
  return d ? dateFormat(locale, { month: "short", year: "numeric" }).format(d) : missing;
}

/** All formatters bound to one locale (what `useT()` hands to components). */
export function formatters(locale: Locale) {
  return {
    locale,
    number: (v: number | null | undefined, digits?: number) => formatNumber(locale, v, digits),
    percent: (v: number | null | undefined, digits?: number) => formatPercent(locale, v, digits),
    money: (v: number | null | undefined, currency: string) => formatMoney(locale, v, currency),
    date: (iso: string | null | undefined) => formatDate(locale, iso),
    month: (m: string | null | undefined) => formatMonth(locale, m),
  };
}
export type Formatters = ReturnType<typeof formatters>;
