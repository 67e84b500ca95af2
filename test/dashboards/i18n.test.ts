import { describe, expect, it } from "vitest";
import { colon, formatDate, formatMoney, formatMonth, formatNumber, formatPercent } from "../../app/i18n/format.ts";
import { localeCookie, localeFromAcceptLanguage, localeFromCookie, localeFromRequest } from "../../app/i18n/locale.ts";
import { MESSAGES } from "../../app/i18n/messages.ts";
import { costsMessages } from "../../app/i18n/pages/costs.ts";
import { qualityMessages } from "../../app/i18n/pages/quality.ts";
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

describe("French typography (issue 14: a narrow no-break space before a colon)", () => {
  it("puts U+202F, never an ordinary space, before : ; ! ? » and after « in French messages", () => {
    const dict = definePageMessages({
      en: { tile: "out of 5 · final: {v}", quote: "from matching to “acquired”" },
      fr: { tile: "sur 5 · finale : {v}", quote: "de la mise en relation à « acquis » ; vraiment ?" },
    });
    expect(pageTranslator(dict, "fr")("tile", { v: "4,46" })).toBe("sur 5 · finale\u202f: 4,46");
    expect(pageTranslator(dict, "fr")("quote")).toBe("de la mise en relation à «\u202facquis\u202f»\u202f; vraiment\u202f?");
    expect(pageTranslator(dict, "en")("tile", { v: "4.46" })).toBe("out of 5 · final: 4.46");
    // The values put in the placeholders are the reader's data: left as they are.
    expect(pageTranslator(dict, "fr")("tile", { v: "a : b" })).toBe("sur 5 · finale\u202f: a : b");
    for (const key of Object.keys(MESSAGES.fr)) expect(translate("fr", key as keyof typeof MESSAGES.fr), key).not.toMatch(/ [:;!?»]|« /);
  });

  it("keeps a figure written in a French message on one line: '3 600 €', '95 %' (the Costs chart's caption broke '3' from '600 €' on a phone)", () => {
    const dict = definePageMessages({ en: { c: "600–3,600 € (95 % interval)" }, fr: { c: "de 600 à 3 600 € (intervalle à 95 %), 12 300 participants" } });
    expect(pageTranslator(dict, "fr")("c")).toBe("de 600 à 3\u202f600\u00a0€ (intervalle à 95\u202f%), 12\u202f300 participants");
    expect(pageTranslator(costsMessages, "fr")("chart.band.caption")).toContain("de 600 à 3\u202f600\u00a0€ par personne");
  });

  it("writes a label and its value with the locale's colon", () => {
    expect(colon("en")).toBe(": ");
    expect(colon("fr")).toBe("\u202f: ");
  });
});

describe("French sentences that said something else than the English (screenshots review, issue 14)", () => {
  it("the Quality tile: 11 of the 50 finished pairs ended early, not '11 finished pairs out of 50 that ended early'", () => {
    expect(pageTranslator(qualityMessages, "en")("earlyDetail", { early: 11, finished: 50 })).toBe("11 of 50 finished pairs ended early");
    expect(pageTranslator(qualityMessages, "fr")("earlyDetail", { early: 11, finished: 50 })).toBe("11 des 50 binômes terminés se sont arrêtés avant terme");
  });
});
