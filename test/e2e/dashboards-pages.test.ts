import { tableFromIPC } from "apache-arrow";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../support/server-process.ts";
import { launchBrowser, screenshot, signIn } from "./browser.ts";

// The overview, pair-quality and print pages in a real browser on the demo programs: charts,
// filters in the URL, CSV downloads equal to the loader's data, figures equal to the report
// JSON endpoint's, the language switch, roles. One server and one browser for the whole file.
describe("dashboards: overview, pair quality, print (browser)", () => {
  let dir: string;
  let server: RunningServer;
  let browser: BrowserContext;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "binome-dash-e2e-"));
    server = await startServer({ BINOME_DB: join(dir, "binome.duckdb"), BINOME_DEMO: "1" });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs a test body on a fresh page signed in as `user`, with a screenshot when it fails. */
  async function asUser(user: string, name: string, body: (page: Page) => Promise<void>): Promise<void> {
    await browser.clearCookies();
    const page = await browser.newPage();
    try {
      await signIn(page, server.url, user, `binome-${user}`);
      await body(page);
    } catch (error) {
      await screenshot(page, `dashboards-${name}`);
      throw error;
    } finally {
      await page.close();
    }
  }

  const tileValues = (page: Page) =>
    page.locator("[data-tile]").evaluateAll((tiles) =>
      Object.fromEntries(tiles.map((t) => [t.getAttribute("data-tile"), t.getAttribute("data-value")])),
    );

  /** The route's loader data as the browser received it (Remix's router state after hydration). */
  const loaderData = async (page: Page, routeId: string) => {
    await page.waitForFunction(() => "__remixRouter" in window);
    return page.evaluate((id) => (window as unknown as { __remixRouter: { state: { loaderData: Record<string, unknown> } } }).__remixRouter.state.loaderData[id], routeId);
  };

  for (const programId of ["octave-demo", "large-demo"]) {
    it(`overview of ${programId}: tiles with sparklines and bar charts, equal to the report JSON`, async () => {
      await asUser("demo-admin", `overview-${programId}`, async (page) => {
        const response = await page.goto(`${server.url}/programs/${programId}`);
        expect(response?.status()).toBe(200);
        // Seven headline tiles, and for an operator (or hr) the attention list's tile.
        expect(await page.locator("[data-tile]").count()).toBe(8);
        expect(await page.locator("[data-tile] .spark svg").count()).toBeGreaterThan(0);
        for (const chart of ["participants-by-organization", "participants-by-generation", "pairs-by-cohort"]) {
          expect(await page.locator(`figure[data-chart="${chart}"] svg g[data-mark="bar"] rect`).count()).toBeGreaterThan(0);
          expect(await page.locator(`figure[data-chart="${chart}"] svg rect title`).count()).toBeGreaterThan(0);
        }
        const report = await (await page.request.get(`${server.url}/api/programs/${programId}/report.json`)).json();
        const tiles = await tileValues(page);
        const expected = {
          participants: report.participants.total,
          pairs: report.pairs.total,
          active_pairs: report.pairs.active,
          topic_completion: report.topics.completion_rate,
          satisfaction: report.quality.midpoint_satisfaction_mean,
          cost_per_matched_mentee: report.costs.per_matched_mentee,
          cross_generation: report.generations.cross_generation_pair_rate,
          needs_check_in: report.quality.at_risk_pairs,
        };
        for (const [key, value] of Object.entries(expected)) expect([key, tiles[key]]).toEqual([key, value === null ? "" : String(value)]);
        // The breakdown chart's data are the report's rows.
        const data = (await loaderData(page, "routes/programs.$programId._index")) as { report: unknown };
        expect(data.report).toEqual(report);
      });
    });

    it(`pair quality of ${programId}: charts with marks; unfiltered figures equal the report's`, async () => {
      await asUser("demo-admin", `quality-${programId}`, async (page) => {
        const response = await page.goto(`${server.url}/programs/${programId}/quality`);
        expect(response?.status()).toBe(200);
        expect(await page.locator('figure[data-chart="satisfaction"] svg g[data-mark="bar"] rect').count()).toBeGreaterThan(3);
        expect(await page.locator('figure[data-chart="meeting-regularity"] svg g[data-mark="line"] path').count()).toBe(1);
        expect(await page.locator('figure[data-chart="meeting-regularity"] svg circle title').count()).toBeGreaterThan(3);
        expect(await page.locator('figure[data-chart="early-terminations"] svg g[data-mark="bar"] rect').count()).toBeGreaterThan(0);
        const report = await (await page.request.get(`${server.url}/api/programs/${programId}/report.json`)).json();
        const tiles = await tileValues(page);
        for (const key of ["midpoint_satisfaction_mean", "final_satisfaction_mean", "midpoint_response_rate", "meeting_regularity", "early_termination_rate", "at_risk_pairs"]) {
          const value = report.quality[key];
          expect([key, Number(tiles[key])]).toEqual([key, value === null ? 0 : expect.closeTo(value, 12)]);
        }
      });
    });
  }

  it("a filter changes the URL and the numbers; a bad filter value is ignored with a notice", async () => {
    await asUser("demo-admin", "filter", async (page) => {
      await page.goto(`${server.url}/programs/large-demo/quality`);
      const before = await tileValues(page);
      const cohort = await page.locator('select[name="cohort"] option').nth(2).getAttribute("value");
      await page.selectOption('select[name="cohort"]', cohort!);
      await Promise.all([page.waitForURL((url) => url.searchParams.get("cohort") === cohort), page.click(".filters button[type=submit]")]);
      // The router changes the URL before React draws the new data: wait for the figure to move.
      await expect.poll(async () => (await tileValues(page)).at_risk_pairs, { timeout: 30_000 }).not.toBe(before.at_risk_pairs);
      const after = await tileValues(page);
      expect(Number(after.at_risk_pairs)).toBeLessThan(Number(before.at_risk_pairs));
      // The tabs keep the filters.
      expect(await page.locator(".tabs a", { hasText: "Overview" }).getAttribute("href")).toContain(`cohort=${cohort}`);

      const bad = await page.goto(`${server.url}/programs/large-demo/quality?cohort=2026-13&role=boss`);
      expect(bad?.status()).toBe(200);
      expect(await page.locator(".filters .notices li").count()).toBe(2);
      expect(await tileValues(page)).toEqual(before);
    });
  });

  it("a chart's CSV download equals the loader's data", async () => {
    await asUser("demo-admin", "csv", async (page) => {
      await page.goto(`${server.url}/programs/octave-demo/quality`);
      const data = (await loaderData(page, "routes/programs.$programId.quality")) as { regularity: Record<string, unknown>[] };
      await page.locator('figure[data-chart="meeting-regularity"] summary').click();
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.click('figure[data-chart="meeting-regularity"] a[data-download="csv"]'),
      ]);
      expect(download.suggestedFilename()).toBe("meeting-regularity.csv");
      const csv = readFileSync((await download.path())!, "utf8").trim().split("\n");
      const header = csv[0].split(",");
      expect(header).toEqual(["month", "running_pairs", "pairs_with_meeting", "share_with_meeting"]);
      const rows = csv.slice(1).map((line) => line.split(","));
      expect(rows.length).toBe(data.regularity.length);
      rows.forEach((cells, i) => {
        const row = data.regularity[i];
        expect(cells).toEqual(header.map((key) => (row[key] === null ? "" : String(row[key]))));
      });
      // The SVG download is the chart's plot as drawn on the page, serialized as XML: a valid .svg file.
      const svgLink = 'figure[data-chart="meeting-regularity"] a[data-download="svg"][data-ready="true"]';
      await page.waitForSelector(svgLink);
      const [svgDownload] = await Promise.all([page.waitForEvent("download"), page.click(svgLink)]);
      expect(svgDownload.suggestedFilename()).toBe("meeting-regularity.svg");
      const svg = readFileSync((await svgDownload.path())!, "utf8");
      expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(svg).toContain("<title>");
      expect(svg).not.toContain("&nbsp;");
      const { DOMParser } = await import("linkedom");
      expect(new DOMParser().parseFromString(svg, "image/svg+xml").querySelectorAll("svg").length).toBeGreaterThan(0);
    });
  });

  it("the language switch shows the pages in French and back, with French number formats", async () => {
    await asUser("demo-admin", "language", async (page) => {
      await page.goto(`${server.url}/programs/octave-demo`);
      expect(await page.getAttribute("html", "lang")).toBe("en");
      await Promise.all([page.waitForLoadState("load"), page.click('[data-testid="lang-switch"]')]);
      await page.waitForFunction(() => document.documentElement.lang === "fr");
      expect(new URL(page.url()).pathname).toBe("/programs/octave-demo");
      expect(await page.locator(".tabs a").first().textContent()).toBe("Vue d'ensemble");
      expect((await page.locator('[data-tile="topic_completion"] .value').textContent())!.replace(/[\u00a0\u202f]/g, " ")).toMatch(/^\d+,\d %$/);
      expect(await page.locator('[data-tile="cost_per_matched_mentee"] .value').textContent()).toMatch(/€$/);
      await Promise.all([page.waitForLoadState("load"), page.click('[data-testid="lang-switch"]')]);
      await page.waitForFunction(() => document.documentElement.lang === "en");
    });
  });

  it("French is chosen when the browser prefers it", async () => {
    const response = await fetch(`${server.url}/login`, { headers: { "Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5" } });
    expect(await response.text()).toContain('<html lang="fr"');
  });

  // The brief's pages, printed to PDF, are checked in print-report.test.ts.
  it("the print view flows its sections (no page per section) with the report's figures", async () => {
    await asUser("demo-sponsor", "print", async (page) => {
      const response = await page.goto(`${server.url}/programs/octave-demo/print`);
      expect(response?.status()).toBe(200);
      expect(await page.locator(".print-section").count()).toBeGreaterThanOrEqual(4);
      expect(await page.locator("figure[data-chart] svg").count()).toBeGreaterThan(1);
      await page.emulateMedia({ media: "print" });
      expect(await page.locator(".tabs").isVisible()).toBe(false);
      const breakAfter = await page.locator(".print-section").first().evaluate((el) => getComputedStyle(el).breakAfter);
      expect(breakAfter).toBe("auto");
      const report = await (await page.request.get(`${server.url}/api/programs/octave-demo/report.json`)).json();
      expect(report.audience).toBe("sponsor");
      expect(await tileValues(page)).toMatchObject({ participants: String(report.participants.total), pairs: String(report.pairs.total) });
      // A sponsor sees its own organization and "others", never another organization's name.
      const html = await page.content();
      expect(html).not.toContain("Orvéa Télécom");
    });
  });

  it("individual at-risk pairs and the Arrow detail only for roles allowed to see individuals", async () => {
    await asUser("demo-rse", "individuals-rse", async (page) => {
      await page.goto(`${server.url}/programs/octave-demo/quality`);
      // Every satisfaction bar with answers is hidden for rse here: the chart says why, not only "hidden".
      const heights = await page.locator('figure[data-chart="satisfaction"] [data-mark="bar"] rect').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute("height"))));
      expect(heights.filter((h) => h > 0)).toEqual([]);
      expect(await page.locator('figure[data-chart="satisfaction"] p[data-note]').textContent()).toMatch(/^Every score with answers is hidden in your view: some have fewer than 5 answers/);
      expect(await page.locator('[data-testid="at-risk-pairs"]').count()).toBe(0);
      expect(await page.locator('[data-section="at-risk-pairs"] .notice').count()).toBe(1);
      expect((await page.request.get(`${server.url}/api/programs/octave-demo/pairs.arrow`)).status()).toBe(403);
    });
    await asUser("demo-hr", "individuals-hr", async (page) => {
      const arrow = await page.request.get(`${server.url}/api/programs/octave-demo/pairs.arrow`);
      expect(arrow.status()).toBe(200);
      expect(arrow.headers()["content-type"]).toBe("application/vnd.apache.arrow.stream");
      const table = tableFromIPC(new Uint8Array(await arrow.body()));
      expect(table.numRows).toBeGreaterThan(0);
      for (const row of table.toArray().map((r) => r.toJSON())) {
        expect(row.mentor_org_id === "BEAUMANOIR" || row.mentee_org_id === "BEAUMANOIR").toBe(true);
        if (row.mentor_org_id !== "BEAUMANOIR") expect(row.mentor_id).toBeNull();
        if (row.mentee_org_id !== "BEAUMANOIR") expect(row.mentee_id).toBeNull();
      }
      expect((await page.request.get(`${server.url}/api/programs/large-demo/report.json`)).status()).toBe(404);
      expect((await page.goto(`${server.url}/programs/large-demo/quality`))?.status()).toBe(404);
      expect(await page.locator("h1").textContent()).toBe("Not found");
    });
    await asUser("demo-admin", "individuals-admin", async (page) => {
      await page.goto(`${server.url}/programs/large-demo/quality`);
      expect(await page.locator('[data-testid="at-risk-pairs"] tbody tr').count()).toBeGreaterThan(0);
    });
    const signedOut = await fetch(`${server.url}/api/programs/octave-demo/report.json`);
    expect(signedOut.status).toBe(401);
  });
});
