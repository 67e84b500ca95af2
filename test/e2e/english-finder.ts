import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { MESSAGES } from "../../app/i18n/messages.ts";

/**
 * Finds English left on a French page: strings of the English catalogues (app/i18n/messages.ts
 * and app/i18n/pages/*.ts) in the page's text. The rule, made to have no false positives:
 *
 * 1. A message counts only where its English text differs from its French one, and is not
 *    itself a French text of any catalogue ("Impact", "Simulations", "Mentor", "Table",
 *    "Actions", "Administration" are the same in both languages).
 * 2. Its placeholders (`{name}`) are cut out: what is left are literal fragments, and numbers,
 *    names and dates filled in never count.
 * 3. A fragment of **two words or more and at least 10 letters** is looked for anywhere in the
 *    text of the page's elements (whole words, case-sensitive, whitespace normalised):
 *    "Sign in" is too short, "Change your password" is found inside any sentence.
 * 4. A **one-word** message (or a shorter fragment), like "Username" or "Status", counts only
 *    when a whole text segment of the page (a text node, an element's text, a title, an
 *    aria-label, a placeholder) is exactly that message, so that an English word inside a name
 *    or an identifier is never reported.
 * 5. Fragments with fewer than 4 letters, or without a lowercase letter (acronyms and codes
 *    such as "CSV", "SVG", "UTC", "#", "MB"), never count.
 * 6. A fragment found inside a French text of the catalogues never counts (it is then a name
 *    or a code both languages share, like "npm run restore --").
 *
 * 7. The codes the application stores in English and could print raw (an import's status, a
 *    pair's or a job's status: `STORED_CODES`) count when a whole segment is exactly one.
 *
 * Other strings that do not come from a catalogue (data: program, organization and topic
 * names) are not looked for; `englishSentences` below is a second net for sentences.
 */
export interface EnglishString {
  /** `catalogue key` where the string comes from. */
  source: string;
  text: string;
  /** Whether it must be a whole segment of the page (rule 4) rather than a substring (rule 3). */
  whole: boolean;
}

type Catalogue = { en: Record<string, string>; fr: Record<string, string> };

const letters = (s: string) => (s.match(/\p{L}/gu) ?? []).length;
const words = (s: string) => s.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length;
export const normalise = (s: string) => s.replace(/\s+/g, " ").trim();

export async function loadCatalogues(): Promise<[string, Catalogue][]> {
  const dir = resolve(import.meta.dirname, "../../app/i18n/pages");
  const found: [string, Catalogue][] = [["messages", MESSAGES as unknown as Catalogue]];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts")).sort()) {
    const module = (await import(join(dir, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (value && typeof value === "object" && "en" in value && "fr" in value) found.push([`${file.replace(/\.ts$/, "")}/${name}`, value as Catalogue]);
    }
  }
  return found;
}

/** Rule 7: stored English codes (import log, pairs, jobs) that a page must translate, never print. */
export const STORED_CODES = ["succeeded", "failed", "invalid", "refused", "noop", "imported", "dry_run", "running", "active", "completed", "ended_early"];

/** The English strings to look for (rules 1, 2, 5, 6, 7). */
export function englishStrings(catalogues: [string, Catalogue][]): EnglishString[] {
  const french = catalogues.flatMap(([, c]) => Object.values(c.fr).map(normalise));
  const frenchSet = new Set(french);
  const inFrench = (fragment: string) => frenchSet.has(fragment) || french.some((f) => f.includes(fragment));
  const out: EnglishString[] = [];
  for (const [name, catalogue] of catalogues) {
    for (const [key, en] of Object.entries(catalogue.en)) {
      if (normalise(en) === normalise(catalogue.fr[key] ?? "")) continue;
      for (const raw of en.split(/\{\w+\}/)) {
        // Trim punctuation and spaces at both ends: "({min} to {max} characters)" gives "to" and "characters".
        const fragment = normalise(raw).replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, "");
        if (letters(fragment) < 4 || !/\p{Ll}/u.test(fragment) || inFrench(fragment)) continue;
        const whole = words(fragment) < 2 || letters(fragment) < 10;
        out.push({ source: `${name} ${key}`, text: fragment, whole });
      }
    }
  }
  for (const code of STORED_CODES) out.push({ source: `code ${code}`, text: code, whole: true });
  return out;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The English strings found in a page's text segments (rules 3 and 4). */
export function findEnglish(strings: EnglishString[], segments: string[]): { source: string; text: string; in: string }[] {
  const normalised = [...new Set(segments.map(normalise).filter(Boolean))];
  const exact = new Set(normalised);
  const found: { source: string; text: string; in: string }[] = [];
  for (const s of strings) {
    if (s.whole) {
      if (exact.has(s.text)) found.push({ source: s.source, text: s.text, in: s.text });
      continue;
    }
    const pattern = new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(s.text)}($|[^\\p{L}\\p{N}])`, "u");
    const hit = normalised.find((segment) => pattern.test(segment));
    if (hit) found.push({ source: s.source, text: s.text, in: hit.length > 160 ? `${hit.slice(0, 157)}…` : hit });
  }
  return found;
}

/**
 * Run in the page: every text segment a reader can meet (text nodes, each element's whole text,
 * `title`, `aria-label`, `aria-description`, `placeholder`, `alt`, button values, the document title), scripts and
 * styles excepted. Collapsed `<details>` and `<option>`s are included: they are read too.
 */
export function pageSegments(): string[] {
  const out: string[] = [document.title];
  const skip = (el: Element | null) => !!el?.closest("script, style, noscript, template");
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!skip(node.parentElement) && node.textContent) out.push(node.textContent);
  }
  for (const el of Array.from(document.body.querySelectorAll("*"))) {
    if (skip(el)) continue;
    if (el.children.length > 0 && el.textContent) out.push(el.textContent);
    for (const attr of ["title", "aria-label", "aria-description", "placeholder", "alt"]) {
      const v = el.getAttribute(attr);
      if (v) out.push(v);
    }
    if (el instanceof HTMLInputElement && (el.type === "submit" || el.type === "button") && el.value) out.push(el.value);
  }
  return out;
}

/**
 * A second net for English that no catalogue holds (a string written in a route, a message
 * from analytics/): a segment of at least four words of which at least two are English
 * function words that French never uses ("the", "with", "your", …). Names and identifiers do
 * not have them; a French sentence has none.
 */
const ENGLISH_ONLY_WORDS = new Set(
  "the and with your you this that these those is are was were has have been be will would can cannot could should of to for from by at into than then there their they them it its or no not yet only every each any which who what when where how per".split(" "),
);
/** …unless the word is also French in the segment's context: none of these is. */
export function englishSentences(segments: string[]): string[] {
  const out = new Set<string>();
  for (const raw of segments) {
    const segment = normalise(raw);
    if (segment.length > 400) continue; // a container's whole text: its children are looked at one by one
    const tokens = segment.split(/[^\p{L}']+/u).filter(Boolean);
    if (tokens.length < 4) continue;
    const hits = tokens.filter((w) => ENGLISH_ONLY_WORDS.has(w.toLowerCase()));
    if (new Set(hits.map((w) => w.toLowerCase())).size >= 2) out.add(segment);
  }
  return [...out];
}
