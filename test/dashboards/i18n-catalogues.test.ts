import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { LOCALES } from "../../app/i18n/locale.ts";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MESSAGES } from "../../app/i18n/messages.ts";
import { metaLocale, pageTitle } from "../../app/i18n/meta.ts";
import { authMessages, throttledText, userErrorText } from "../../app/i18n/pages/auth.ts";
import { rich } from "../../app/i18n/rich.tsx";

/**
 * Every message catalogue (app/i18n/messages.ts and each dictionary under app/i18n/pages/)
 * has every key in every language, none empty, and the same `{placeholders}` in each language.
 * The types check `fr` against `en` at compile time; this checks the values at run time too
 * (an empty string or a key present only in French passes the type).
 */
type Catalogue = Record<string, Record<string, unknown>>;

const PAGES_DIR = resolve(import.meta.dirname, "../../app/i18n/pages");

async function catalogues(): Promise<[string, Catalogue][]> {
  const found: [string, Catalogue][] = [["app/i18n/messages.ts MESSAGES", MESSAGES as unknown as Catalogue]];
  for (const file of readdirSync(PAGES_DIR).filter((f) => f.endsWith(".ts")).sort()) {
    const module = (await import(join(PAGES_DIR, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (value && typeof value === "object" && "en" in value && "fr" in value) found.push([`app/i18n/pages/${file} ${name}`, value as Catalogue]);
    }
  }
  return found;
}

const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

/** What is wrong with one catalogue: a key missing or empty in a language, placeholders that differ. */
export function catalogueProblems(name: string, catalogue: Catalogue): string[] {
  const problems: string[] = [];
  const keys = new Set(LOCALES.flatMap((locale) => Object.keys(catalogue[locale] ?? {})));
  for (const key of [...keys].sort()) {
    for (const locale of LOCALES) {
      const value = catalogue[locale]?.[key];
      if (value === undefined) problems.push(`${name}: "${key}" has no ${locale} text`);
      else if (typeof value !== "string" || value.trim() === "") problems.push(`${name}: "${key}" is empty in ${locale}`);
    }
    const en = catalogue.en?.[key];
    const fr = catalogue.fr?.[key];
    if (typeof en === "string" && typeof fr === "string" && placeholders(en).join() !== placeholders(fr).join()) {
      problems.push(`${name}: "${key}" has placeholders {${placeholders(en).join("}, {")}} in en but {${placeholders(fr).join("}, {")}} in fr`);
    }
  }
  return problems;
}

describe("message catalogues", () => {
  it("finds the shared catalogue and every page's", async () => {
    const found = await catalogues();
    // import-warnings.ts rewrites the import's English warnings by pattern (test/app/import-warnings.test.ts): no catalogue.
    const NOT_CATALOGUES = new Set(["import-warnings.ts"]);
    const files = readdirSync(PAGES_DIR).filter((f) => f.endsWith(".ts") && !NOT_CATALOGUES.has(f));
    expect(found[0][0]).toBe("app/i18n/messages.ts MESSAGES");
    for (const file of files) expect(found.some(([name]) => name.startsWith(`app/i18n/pages/${file} `)), file).toBe(true);
  });

  it("have every key in every language, none empty, the same placeholders", async () => {
    const problems = (await catalogues()).flatMap(([name, catalogue]) => catalogueProblems(name, catalogue));
    expect(problems).toEqual([]);
  });

  it("the check itself catches a missing, an empty and a mismatched message", () => {
    const broken = { en: { a: "A", b: "B {n}", c: "C", d: "D" }, fr: { a: "A", b: "B {m}", c: "  " } };
    expect(catalogueProblems("x", broken)).toEqual([
      'x: "b" has placeholders {n} in en but {m} in fr',
      'x: "c" is empty in fr',
      'x: "d" has no fr text',
    ]);
    expect(catalogueProblems("y", { en: {}, fr: { only: "seulement" } })).toEqual(['y: "only" has no en text']);
  });
});

describe("translation helpers", () => {
  it("rich() puts elements in a translated sentence, whole", () => {
    const html = renderToStaticMarkup(createElement("p", null, rich(authMessages.fr["login.noAccount"], { command: createElement("code", null, "npm run users") })));
    expect(html).toBe("<p>Aucun compte n&#x27;existe encore. Arrêtez le serveur et créez-en un avec <code>npm run users</code>.</p>");
  });

  it("says an account refusal and a throttled sign-in in the reader's language", () => {
    const error = { code: "passwordTooShort", vars: { min: 12 }, message: "The password must have at least 12 characters." };
    expect(userErrorText("fr", error)).toBe("Le mot de passe doit compter au moins 12 caractères.");
    expect(userErrorText("en", error)).toBe(error.message);
    expect(userErrorText("fr", { code: null, vars: {}, message: "as it is" })).toBe("as it is");
    expect(throttledText("en", 1)).toBe("Too many failed attempts. Try again in 1 second.");
    expect(throttledText("fr", 30)).toBe("Trop de tentatives échouées. Réessayez dans 30 secondes.");
    expect(throttledText("fr", 125)).toBe("Trop de tentatives échouées. Réessayez dans 3 minutes.");
  });

  it("titles a page in the root loader's locale", () => {
    expect(metaLocale([{ id: "root", data: { locale: "fr" } }])).toBe("fr");
    expect(metaLocale([])).toBe("en");
    expect(pageTitle([{ id: "root", data: { locale: "fr" } }], authMessages, "account.title")).toEqual([{ title: "Votre compte · Binôme" }]);
  });
});
