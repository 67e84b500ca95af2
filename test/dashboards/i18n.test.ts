import { describe, expect, it } from "vitest";
import { formatDate, formatMoney, formatMonth, formatNumber, formatPercent } from "../../app/i18n/format.ts";
import { localeCookie, localeFromAcceptLanguage, localeFromCookie, localeFromRequest } from "../../app/i18n/locale.ts";
import { MESSAGES } from "../../app/i18n/messages.ts";
import { definePageMessages, pageTranslator, translate } from "../../app/i18n/translate.ts";

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("locale of a request", () => {
  it("prefers the lang cookie, then Accept-Language, then English", () => {
    const req = (headers: Record<string, string>) => new Request("http://x/", { headers });
    expect(localeFromRequest(req({ Cookie: "a=1; lang=fr", "Accept-Language": "en" }))).toBe("fr");
    expect(localeFromRequest(req({ Cookie: "lang=de", "Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8" }))).toBe("fr");
    expect(localeFromRequest(req({ "Accept-Language": "de-DE,de;q=0.9" }))).toBe("en");
    expect(localeFromRequest(req({}))).toBe("en");
  });

  it("reads q-values: French only when preferred to English", () => {
    expect(localeFromAcceptLanguage("en-US,en;q=0.9,fr;q=0.8")).toBe("en");
    expect(localeFromAcceptLanguage("de;q=1,fr-CA;q=0.7,en;q=0.5")).toBe("fr");
    expect(localeFromAcceptLanguage("fr;q=0")).toBeNull();
    expect(localeFromCookie("lang=en")).toBe("en");
    expect(localeCookie("fr")).toMatch(/^lang=fr; Path=\/; Max-Age=\d+; SameSite=Lax$/);
    expect(localeCookie("fr", true)).toMatch(/; Secure$/);
  });
});

describe("formatting through Intl", () => {
  it("formats numbers, percents and money per locale", () => {
    expect(formatNumber("en", 1234.56)).toBe("1,234.6");
    expect(nbsp(formatNumber("fr", 1234.56))).toBe("1 234,6");
    expect(formatPercent("en", 0.425)).toBe("42.5%");
    expect(nbsp(formatPercent("fr", 0.425))).toBe("42,5 %");
    expect(formatMoney("en", 1500, "EUR")).toBe("€1,500");
    expect(nbsp(formatMoney("fr", 1500, "EUR"))).toBe("1 500 €");
    expect(nbsp(formatMoney("fr", 12.5, "EUR"))).toBe("12,50 €");
    expect(formatMoney("en", 10, "XYZ1")).toBe("10 XYZ1");
  });

  it("prints a dash for null, NaN and Infinity, never 0", () => {
    for (const v of [null, undefined, Number.NaN, Infinity]) {
      expect(formatNumber("en", v)).toBe("–");
      expect(formatPercent("fr", v)).toBe("–");
      expect(formatMoney("fr", v, "EUR")).toBe("–");
    }
  });

  it("formats dates and months in UTC", () => {
    expect(formatDate("en", "2026-11-26")).toBe("26 Nov 2026");
    expect(formatDate("fr", "2026-11-26")).toBe("26 nov. 2026");
    expect(formatMonth("en", "2026-03")).toBe("Mar 2026");
    expect(formatMonth("fr", "2026-03")).toBe("mars 2026");
    expect(formatDate("en", "garbage")).toBe("–");
  });
});

describe("messages", () => {
  it("has every English key in French, and fills placeholders", () => {
    expect(Object.keys(MESSAGES.fr).sort()).toEqual(Object.keys(MESSAGES.en).sort());
    expect(translate("fr", "program.asOf", { date: "1 mars" })).toBe("Chiffres au 1 mars");
    expect(translate("en", "filters.ignored", { name: "x" })).toBe("Ignored filter x: {reason}");
    const dict = definePageMessages({ en: { hi: "Hello {n}" }, fr: { hi: "Bonjour {n}" } });
    expect(pageTranslator(dict, "fr")("hi", { n: 2 })).toBe("Bonjour 2");
  });
});
