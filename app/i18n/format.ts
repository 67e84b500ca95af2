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

/** What separates a label from its value: "Gen X: 38" (en) / "Génération X : 38" (fr, narrow no-break space before the colon). */
export function colon(locale: Locale): string {
  return locale === "fr" ? "\u202f: " : ": ";
}

/** A negative figure is written with the minus sign (U+2212), as typeset, not Intl's hyphen-minus. */
const minus = (text: string) => (text.startsWith("-") ? `\u2212${text.slice(1)}` : text);

/** 1234.5 → "1,234.5" (en) / "1 234,5" (fr), −0.41 → "−0,41"; `digits` = maximum fraction digits (default 1). */
export function formatNumber(locale: Locale, value: number | null | undefined, digits = 1, missing = MISSING): string {
  return ok(value) ? minus(numberFormat(locale, { maximumFractionDigits: digits }).format(value)) : missing;
}

/** A share in [0, 1] → "42.5%" (en) / "42,5 %" (fr). */
export function formatPercent(locale: Locale, value: number | null | undefined, digits = 1, missing = MISSING): string {
  return ok(value) ? minus(numberFormat(locale, { style: "percent", maximumFractionDigits: digits }).format(value)) : missing;
}

/** Fraction digits of an amount of money: none from 100 up (€26,400), cents below (€12.50). */
export function moneyDigits(value: number): 0 | 2 {
  return Math.abs(value) >= 100 ? 0 : 2;
}

/**
 * Money in the program's currency (ISO 4217): "€26,400" (en) / "26 400 €" (fr, narrow no-break
 * space between thousands), no cents above 100 unless `digits` says otherwise (a change is
 * rounded like its figure: formatDelta).
 */
export function formatMoney(locale: Locale, value: number | null | undefined, currency: string, missing = MISSING, digits?: number): string {
  if (!ok(value)) return missing;
  const d = digits ?? moneyDigits(value);
  try {
    return minus(numberFormat(locale, { style: "currency", currency, maximumFractionDigits: d, minimumFractionDigits: d }).format(value));
  } catch {
    // An unknown currency code: the number and the code, never a crash.
    return `${formatNumber(locale, value, d)} ${currency}`;
  }
}

/** How a headline figure is written: a count or mean (`digits`), a share of 1, or money. */
export type FigureFormat = { kind: "number"; digits: number } | { kind: "percent" } | { kind: "money"; currency: string };

/** A figure as its tile writes it. */
export function formatFigure(locale: Locale, value: number | null | undefined, format: FigureFormat, missing = MISSING): string {
  if (format.kind === "percent") return formatPercent(locale, value, 1, missing);
  if (format.kind === "money") return formatMoney(locale, value, format.currency, missing);
  return formatNumber(locale, value, format.digits, missing);
}

/**
 * The change of a figure, signed and rounded like the figure itself: "+€47" beside €713 (not
 * "+€47.02"), "−3" beside 412 participants, "+2.5 pt" for a share. null when the change rounds
 * to nothing (the caller says "no change"). The minus is U+2212.
 */
export function formatDelta(locale: Locale, figure: number, delta: number, format: FigureFormat): string | null {
  if (!ok(figure) || !ok(delta)) return null;
  const digits = format.kind === "percent" ? 1 : format.kind === "money" ? moneyDigits(figure) : format.digits;
  const magnitude = format.kind === "percent" ? Math.abs(delta) * 100 : Math.abs(delta);
  const rounded = Math.round(magnitude * 10 ** digits) / 10 ** digits;
  if (rounded === 0) return null;
  const sign = delta > 0 ? "+" : "\u2212";
  if (format.kind === "percent") return `${sign}${formatNumber(locale, rounded, digits)}\u00a0pt`;
  if (format.kind === "money") return `${sign}${formatMoney(locale, rounded, format.currency, MISSING, digits)}`;
  return `${sign}${formatNumber(locale, rounded, digits)}`;
}

/**
 * A difference of shares in percentage points, signed: "+3.1 pts", "−5.2 pts" (U+2212, as
 * formatDelta), "0 pts" when it rounds to nothing (no "+0"); "–" when missing. The impact
 * figures' effects and intervals (tiles, tables, the effects chart's axis and tooltips).
 */
export function formatPoints(locale: Locale, share: number | null | undefined, digits = 1, missing = MISSING): string {
  if (!ok(share)) return missing;
  const rounded = Math.round(Math.abs(share) * 100 * 10 ** digits) / 10 ** digits;
  const sign = rounded === 0 ? "" : share > 0 ? "+" : "\u2212";
  return `${sign}${formatNumber(locale, rounded, digits)}\u00a0pts`;
}

/**
 * The words of a count in each plural category ("one" and "other" in English and French; a
 * language with more categories adds them): message texts, or the keys of messages.
 */
export type PluralForms<S extends string = string> = { one: S; other: S } & Partial<Record<Intl.LDMLPluralRule, S>>;

const pluralRules = new Map<Locale, Intl.PluralRules>();
/** The CLDR plural category of `n` in the locale (en: 1 → one; fr: 0 and 1 → one). */
export function pluralCategory(locale: Locale, n: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(INTL_LOCALE[locale])));
  return rules.select(n);
}

/** The form of `forms` for `n` ("{n} program" / "{n} programs"), "other" when the category has none. */
export function plural<S extends string>(locale: Locale, n: number, forms: PluralForms<S>): S {
  return forms[pluralCategory(locale, n)] ?? forms.other;
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

/**
 * A moment stored in UTC (`2026-12-06 21:13:52`, `2026-12-06T21:13:52.120Z`) → "6 Dec 2026, 21:13 UTC"
 * (en) / "6 déc. 2026, 21:13 UTC" (fr): the server's clock is UTC, and the zone is said.
 */
export function formatDateTime(locale: Locale, iso: string | null | undefined, missing = MISSING): string {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/.exec(iso) : null;
  if (!m) return iso ? formatDate(locale, iso, missing) : missing;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])));
  return Number.isNaN(d.getTime()) ? missing : `${dateFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(d)} UTC`;
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
    /** ": " (en) / "\u202f: " (fr): colon(). */
    colon: colon(locale),
    number: (v: number | null | undefined, digits?: number) => formatNumber(locale, v, digits),
    percent: (v: number | null | undefined, digits?: number) => formatPercent(locale, v, digits),
    money: (v: number | null | undefined, currency: string) => formatMoney(locale, v, currency),
    figure: (v: number | null | undefined, format: FigureFormat) => formatFigure(locale, v, format),
    delta: (figure: number, delta: number, format: FigureFormat) => formatDelta(locale, figure, delta, format),
    points: (share: number | null | undefined) => formatPoints(locale, share),
    plural: <S extends string>(n: number, forms: PluralForms<S>) => plural(locale, n, forms),
    date: (iso: string | null | undefined) => formatDate(locale, iso),
    dateTime: (iso: string | null | undefined) => formatDateTime(locale, iso),
    month: (m: string | null | undefined) => formatMonth(locale, m),
  };
}
export type Formatters = ReturnType<typeof formatters>;
