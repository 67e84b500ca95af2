import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useDemoBrowser } from "./demo-browser.ts";
import { pdfPages } from "./pdf-text.ts";

// Issue 14, item 10: the printed report is a one-to-two-page A4 sponsor brief — a summary, the
// reader's organization beside the program, the key charts, page numbers, the program name once,
// white paper to the last page, and the Impact figures with their interval and caveat once the
// program has them. Printed to PDF by chromium (page.pdf, A4) as a reader's "Save as PDF" would,
// for a sponsor and the operator, in English and French; the PDFs are kept in test-results/.
describe("print: the sponsor brief as a PDF (browser)", { timeout: 240_000 }, () => {
  const app = useDemoBrowser("print", "routes/programs.$programId.print");
  const { asUser } = app;

  async function printPdf(page: Page, name: string): Promise<string[]> {
    await page.emulateMedia({ media: "print" });
    const pdf = await page.pdf({ format: "A4", preferCSSPageSize: true });
    mkdirSync("test-results", { recursive: true });
    writeFileSync(join("test-results", `print-${name}.pdf`), pdf);
    return pdfPages(pdf);
  }

  const cases = [
    {
      user: "demo-sponsor",
      lang: "en",
      expected: ["Sponsor report", "In brief", "Your organization", "What each organization paid", "Cost per matched mentee against the market band", "Participants by generation", "Impact", "How to read it", "95% interval"],
    },
    {
      user: "demo-sponsor",
      lang: "fr",
      expected: ["Rapport aux partenaires", "En bref", "Votre organisation", "Ce que chaque organisation a payé", "Impact", "Comment le lire", "intervalle à 95 %"],
    },
    { user: "demo-admin", lang: "en", expected: ["Sponsor report", "In brief", "What each organization paid", "Impact", "How to read it"] },
    { user: "demo-admin", lang: "fr", expected: ["Rapport aux partenaires", "En bref", "Ce que chaque organisation a payé", "Impact", "Comment le lire"] },
    { user: "demo-admin", lang: "en", program: "large-demo", expected: ["Sponsor report", "In brief", "What each organization paid", "Impact", "How to read it"] },
  ] as const;

  for (const c of cases) {
    const program = "program" in c ? c.program : "octave-demo";
    it(`${c.user} in ${c.lang} on ${program}: 1–2 A4 pages, numbered, with the summary, the charts and the impact`, async () => {
      await asUser(c.user, `${c.user}-${c.lang}-${program}`, async (page) => {
        await app.browser.addCookies([{ name: "lang", value: c.lang, url: app.server.url }]);
        const response = await page.goto(`${app.server.url}/programs/${program}/print`);
        expect(response?.status()).toBe(200);
        const name = (await page.locator(".program-header h1").textContent())!;
        const pages = await printPdf(page, `${c.user}-${c.lang}-${program}`);
        expect(pages.length).toBeGreaterThanOrEqual(1);
        expect(pages.length).toBeLessThanOrEqual(2);
        const text = pages.join("\n");
        for (const expected of c.expected) expect(text, expected).toContain(expected);
        // Page numbers ("1 / 2") in the bottom margin of every page.
        pages.forEach((p, i) => expect(p, `page ${i + 1}`).toContain(`${i + 1} / ${pages.length}`));
        // The program's name once; no page is mostly blank (the last one holds more than the footer).
        expect(text.split(name).length - 1).toBe(1);
        expect(pages[pages.length - 1].replace(/\s+/g, "").length).toBeGreaterThan(200);
        // The summary is written from the figures.
        const summary = (await page.locator("[data-summary]").textContent())!;
        const report = await (await page.request.get(`${app.server.url}/api/programs/${program}/report.json`)).json();
        expect(summary).toContain(new Intl.NumberFormat(c.lang === "fr" ? "fr-FR" : "en-GB").format(report.participants.total));
        // White paper: no grey from the screen's background on the printed root.
        expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe("rgb(255, 255, 255)");
        // The charts are drawn for their column of the page, so their text prints at the size it
        // was drawn at (drawn 700 px wide and shrunk into a column, it printed 4–5 px high).
        const charts = await page.locator('[data-section="charts"] figure.chart .chart-svg').evaluateAll((boxes) =>
          boxes.map((box) => {
            const svg = [...box.querySelectorAll("svg")].sort((a, b) => Number(b.getAttribute("width")) - Number(a.getAttribute("width")))[0];
            return { drawn: Number(svg.getAttribute("width")), shown: svg.getBoundingClientRect().width };
          }),
        );
        expect(charts.length).toBeGreaterThan(1);
        for (const chart of charts) expect(chart.shown / chart.drawn, JSON.stringify(chart)).toBeGreaterThan(0.8);
      });
    });
  }

  // Issue 14, item 9: a long organization name does not stretch its filter select.
  it("a filter select holding a 120-character organization name stays 16rem wide, cut with an ellipsis", async () => {
    await asUser("demo-admin", "long-select", async (page) => {
      await page.setViewportSize({ width: 1366, height: 900 });
      await page.goto(`${app.server.url}/programs/octave-demo`);
      const select = page.locator('.filters select[name="org"]');
      const long = "Société Coopérative Laitière des Producteurs Réunis de Beaumanoir, Clairval et Duperrier — Division Ressources Humaines.";
      expect(Array.from(long).length).toBe(120);
      const before = await select.evaluate((el) => el.getBoundingClientRect().width);
      await select.evaluate((el, text) => {
        const option = document.createElement("option");
        option.value = "LONG";
        option.textContent = text;
        el.appendChild(option);
        (el as HTMLSelectElement).value = "LONG";
      }, long);
      const box = await select.evaluate((el) => ({ width: el.getBoundingClientRect().width, rem: parseFloat(getComputedStyle(document.documentElement).fontSize), overflow: getComputedStyle(el).textOverflow }));
      expect(box.width).toBeLessThanOrEqual(16 * box.rem + 0.5);
      expect(box.width).toBeGreaterThanOrEqual(before - 0.5);
      expect(box.overflow).toBe("ellipsis");
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
    });
  });

  it("a sponsor's brief never names another organization; its impact rows carry an interval", async () => {
    await asUser("demo-sponsor", "sponsor-scope", async (page) => {
      await page.goto(`${app.server.url}/programs/octave-demo/print`);
      const html = await page.content();
      for (const other of ["Orvéa Télécom", "CLAIRVAL", "DUPERRIER", "ENERLOIRE"]) expect(html.includes(other), other).toBe(false);
      const retention = page.locator('[data-figure="impact_retention"]');
      expect(await retention.getAttribute("data-status")).toBe("ok");
      expect(await retention.textContent()).toMatch(/[+−]?\d[\d.]*\u00a0pts \([+−]?\d[\d.]*\u00a0pts to [+−]?\d/);
    });
  });
});
