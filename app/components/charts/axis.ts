import type { Locale } from "../../i18n/locale.ts";
import { formatMoney, intlLocale } from "../../i18n/format.ts";

/** `YYYY-MM` → the first day of that month at UTC midnight (a Date for Plot's time scales). */
export function monthDate(month: string): Date {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) throw new RangeError(`invalid month: ${JSON.stringify(month)} (YYYY-MM)`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
}

/** Tick formatters through Intl for the locale (Plot's defaults are English-only). */
export function tickFormats(locale: Locale) {
  const tag = intlLocale(locale);
  const month = new Intl.DateTimeFormat(tag, { month: "short", year: "2-digit", timeZone: "UTC" });
  const number = new Intl.NumberFormat(tag, { maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(tag, { style: "percent", maximumFractionDigits: 0 });
  return {
    month: (d: Date) => month.format(d),
    number: (v: number) => number.format(v),
    percent: (v: number) => percent.format(v),
    /** An amount with its currency, rounded as the pages write money: "€26,400" / "26 400 €" (a whole tick: "€0", not "€0.00"). */
    money: (currency: string) => (v: number) => formatMoney(locale, v, currency, undefined, Number.isInteger(v) ? 0 : undefined),
  };
}
