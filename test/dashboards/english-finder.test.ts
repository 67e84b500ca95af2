import { beforeAll, describe, expect, it } from "vitest";
import { englishSentences, englishStrings, findEnglish, loadCatalogues, type EnglishString } from "../e2e/english-finder.ts";

// The rule of the French walk (test/e2e/french.test.ts), checked without a browser.
describe("finding English on a French page", () => {
  let strings: EnglishString[];
  beforeAll(async () => {
    strings = englishStrings(await loadCatalogues());
  });
  const found = (...segments: string[]) => findEnglish(strings, segments).map((f) => f.text);

  it("finds a one-word message only as a whole segment, a longer one inside a sentence", () => {
    expect(found("Users")).toContain("Users");
    expect(found("Power Users Group")).toEqual([]);
    expect(found("Avant tout : Change your password, merci")).toContain("Change your password");
  });

  it("ignores what both languages share, acronyms, numbers, names and filled-in values", () => {
    expect(found("Impact", "Simulations", "Mentor", "Actions", "CSV", "SVG", "UTC", "#", "42", "12,5 %", "Laiteries Beaumanoir", "octave-demo")).toEqual([]);
    // "Figures as of {date}": the date is not English, the words are.
    expect([...new Set(found("Figures as of 31 mai 2026"))]).toEqual(["Figures as of"]);
    expect(found("Chiffres au 31 mai 2026")).toEqual([]);
  });

  it("finds a stored code printed raw", () => {
    expect(found("succeeded")).toEqual(["succeeded"]);
    expect(found("réussi")).toEqual([]);
  });

  it("the second net finds an English sentence no catalogue holds, not a French one", () => {
    expect(englishSentences(["pas de chiffre hors période : one edition and one intake month only: no later cohort to test on"])).toHaveLength(1);
    expect(englishSentences(["Les groupes de moins de 5 personnes sont masqués", "Octave démo — e-mentoring inter-entreprises 2025-2026"])).toEqual([]);
  });
});
