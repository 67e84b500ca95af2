import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../support/server-process.ts";
import { launchBrowser } from "./browser.ts";

// Every page, for every role, in both languages, visited once: axe-core finds no serious or
// critical violation, every chart keeps its text alternative and data table, nothing sticks out
// sideways at 390 px (header, tables), French text puts a narrow no-break space before its
// colons (tooltips included), the browser console stays free of React errors, and
// screenshots at 1,366 and 390 px in both languages are written to
// test-results/screenshots/ (ignored by git, with findings.json) on every run, to be looked at.

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
export const SCREENSHOTS = join("test-results", "screenshots");

const PROGRAM = "octave-demo";
const PROGRAM_PAGES = ["", "/quality", "/topics", "/generations", "/costs", "/impact", "/editions", "/simulations", "/print"].map(
  (tab) => `/programs/${PROGRAM}${tab}`,
);
const COMMON_PAGES = ["/", "/account", ...PROGRAM_PAGES, "/no-such-page"];
/** Pages only program staff reach: the attention list names participants. */
const STAFF_PAGES = [`/programs/${PROGRAM}/attention`];
const ADMIN_PAGES = ["/admin/users", "/admin/imports", "/admin/programs", "/admin/erasure", "/admin/backups"];
const ROLES = [
  { user: "demo-admin", pages: [...COMMON_PAGES, ...STAFF_PAGES, ...ADMIN_PAGES] },
  { user: "demo-hr", pages: [...COMMON_PAGES, ...STAFF_PAGES] },
  { user: "demo-rse", pages: COMMON_PAGES },
  { user: "demo-sponsor", pages: COMMON_PAGES },
];
const LOCALES = ["en", "fr"] as const;

interface Finding {
  user: string;
  locale: string;
  path: string;
  kind: string;
  detail: string;
}

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[];
}

/** Runs axe-core in the page (injected as a script) and returns its serious and critical violations. */
async function axe(page: Page): Promise<AxeResult["violations"]> {
  // Evaluated through the debugging protocol: the pages' Content-Security-Policy refuses inline scripts.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, options: object) => Promise<AxeResult> } };
    return w.axe.run(document, { resultTypes: ["violations"] });
  })) as AxeResult;
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** What sticks out to the right of a 390 px viewport: the page itself, the header's controls, tables. */
async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    if (document.documentElement.scrollWidth > width + 1) out.push(`the page is ${document.documentElement.scrollWidth} px wide`);
    for (const el of document.querySelectorAll<HTMLElement>(".site-header a, .site-header button, table")) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      const name = el.tagName === "TABLE" ? `table${el.dataset.table ? `[data-table=${el.dataset.table}]` : ""}` : `${el.tagName.toLowerCase()} "${el.textContent?.trim()}"`;
      if (box.right > width + 1 || box.left < -1) out.push(`${name} spans ${Math.round(box.left)}–${Math.round(box.right)} px`);
      // A table that scrolls inside its own box still hides columns from a phone reader.
      else if (el.tagName === "TABLE" && el.scrollWidth > el.clientWidth + 1) out.push(`${name} scrolls sideways (${el.scrollWidth} px in ${el.clientWidth} px)`);
    }
    // A figure broken over lines ("2" above "9", "69,2" above "%") reads as two numbers: the
    // cells of figures, dates and badges keep each value on one line (the lines' distinct tops,
    // one per line).
    for (const cell of document.querySelectorAll<HTMLElement>('table[data-table="organization-comparison"] td, table.data td.num, table.data td.nowrap')) {
      const text = cell.textContent?.trim() ?? "";
      if (!text || !/\d/.test(text)) continue;
      const range = document.createRange();
      range.selectNodeContents(cell);
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (tops.size > 1) out.push(`the figure "${text}" breaks over ${tops.size} lines`);
    }
    // A tile's heading never cuts a word without a hyphen ("INTERGÉNÉRATION" above "NELS"): a
    // word on two lines must break at a soft hyphen (U+00AD) of its message.
    for (const heading of document.querySelectorAll<HTMLElement>(".tile h3")) {
      const node = heading.firstChild;
      if (!node || node.nodeType !== Node.TEXT_NODE) continue;
      const text = node.textContent ?? "";
      // Words between spaces and dashes: "MI-PARCOURS" may break after its hyphen.
      for (const m of text.matchAll(/[^\s\-\u2010\u2013\u2014/]+/g)) {
        if (m[0].includes("\u00ad")) continue;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) out.push(`the tile heading "${text}" cuts the word "${m[0]}"`);
      }
    }
    return out;
  });
}

/**
 * French typography on a French page: text (and chart tooltips, the SVG `<title>`s) with an
 * ordinary space, or none, before a colon, or an ordinary space before ; ! ? » or after «.
 * French puts a narrow no-break space there ("finale : 4,46", "Génération X : 38").
 */
async function frenchSpacing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out = new Set<string>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest("script, style, code, pre, textarea")) continue;
      const text = node.textContent ?? "";
      const m = / [:;!?»]|« |[^\s\d\u00a0\u202f/:]:(?=\s|$)/.exec(text);
      if (m) out.add(`"${text.slice(Math.max(0, m.index - 30), m.index + 30).trim()}"`);
    }
    return [...out].slice(0, 5);
  });
}

describe("every page, every role, both languages (browser: axe-core, charts, 390 px, screenshots)", () => {
  let dir = "";
  let server: RunningServer;
  let browser: BrowserContext;
  const findings: Finding[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "binome-sweep-e2e-"));
    server = await startServer({ BINOME_DB: join(dir, "binome.duckdb"), BINOME_DEMO: "1" });
    browser = await launchBrowser();
    rmSync(SCREENSHOTS, { recursive: true, force: true });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    writeFileSync(join(SCREENSHOTS, "findings.json"), JSON.stringify(findings, null, 2));
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Visits `path` once and records what is wrong with it; screenshots at both widths. */
  async function sweep(page: Page, user: string, locale: string, path: string, consoleErrors: string[]): Promise<void> {
    const note = (kind: string, detail: string) => findings.push({ user, locale, path, kind, detail });
    consoleErrors.length = 0;
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto(`${server.url}${path}`);
    // Hydrated (the router exists) so that the client's own rendering is what is checked.
    await page.waitForFunction(() => "__remixRouter" in window, undefined, { timeout: 60_000 });
    await page.waitForLoadState("networkidle");
    const file = `${user}-${locale}-${path.replace(/^\//, "").replace(/[^a-z0-9-]+/gi, "-") || "home"}`;
    // Screenshots: both widths in both languages (French strings are longer).
    await page.screenshot({ path: join(SCREENSHOTS, `${file}-1366.png`), fullPage: true });
    for (const v of await axe(page)) note(`axe:${v.impact}`, `${v.id}: ${v.help} (${v.nodes.length}× e.g. ${JSON.stringify(v.nodes[0]?.target)})`);
    // Every drawn chart has its text alternative (a caption) and its data table.
    const charts = await page.locator("figure.chart").evaluateAll((figures) =>
      figures
        .filter((f) => f.querySelector(".chart-svg svg"))
        .map((f) => ({ id: f.getAttribute("data-chart"), caption: !!f.querySelector("figcaption")?.textContent?.trim(), table: !!f.querySelector("details table") })),
    );
    for (const c of charts) if (!c.caption || !c.table) note("chart", `${c.id} lacks ${c.caption ? "" : "a caption "}${c.table ? "" : "a data table"}`);
    if (locale === "fr") for (const t of await frenchSpacing(page)) note("french-spacing", t);
    // "All" agrees with its noun: toutes les cohortes, organisations, générations, catégories; tous les rôles, motifs.
    if (locale === "fr") {
      const any = await page.locator('select option[value=""]').evaluateAll((options) =>
        options.map((o) => [(o.parentElement as HTMLSelectElement).name, o.textContent?.trim() ?? ""]),
      );
      const agrees: Record<string, string> = { cohort: "Toutes", org: "Toutes", generation: "Toutes", category: "Toutes", role: "Tous", reason: "Tous" };
      for (const [name, text] of any) if (agrees[name] && text !== agrees[name]) note("french-agreement", `select ${name}: "${text}", not "${agrees[name]}"`);
    }
    await page.setViewportSize({ width: 390, height: 844 });
    for (const o of await overflow(page)) note("390px", o);
    await page.screenshot({ path: join(SCREENSHOTS, `${file}-390.png`), fullPage: true });
    for (const e of consoleErrors) note("console", e);
  }

  for (const { user, pages } of ROLES) {
    for (const locale of LOCALES) {
      it(`${user} in ${locale}: ${pages.length} pages`, { timeout: 600_000 }, async () => {
        await browser.clearCookies();
        await browser.addCookies([{ name: "lang", value: locale, url: server.url }]);
        const page = await browser.newPage();
        const consoleErrors: string[] = [];
        page.on("console", (m) => {
          if (m.type() === "error" && !/status of 404/.test(m.text())) consoleErrors.push(m.text().slice(0, 300));
        });
        page.on("pageerror", (e) => consoleErrors.push(String(e).slice(0, 300)));
        try {
          await page.goto(`${server.url}/login`);
          await page.fill("input[name=username]", user);
          await page.fill("input[name=password]", `binome-${user}`);
          await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.click("main button[type=submit]")]);
          const before = findings.length;
          for (const path of pages) await sweep(page, user, locale, path, consoleErrors);
          expect(findings.slice(before)).toEqual([]);
        } finally {
          await page.close();
        }
      });
    }
  }

  for (const locale of LOCALES) {
    it(`the login page in ${locale}`, async () => {
      await browser.clearCookies();
      await browser.addCookies([{ name: "lang", value: locale, url: server.url }]);
      const page = await browser.newPage();
      const consoleErrors: string[] = [];
      page.on("pageerror", (e) => consoleErrors.push(String(e)));
      try {
        const before = findings.length;
        await sweep(page, "signed-out", locale, "/login", consoleErrors);
        expect(findings.slice(before)).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});
