import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCsvLine, useDemoBrowser } from "./demo-browser.ts";

// The cost page in a real browser on both demo programs: market band, categories, months and
// organizations with marks, every cost figure equal to the report JSON's, a filter changes the
// URL and the numbers, a CSV download equals the loader's data, euros in French, the empty state.
// A loaded machine (several servers and browsers at once) makes the first page of a file slow.
describe("dashboards: costs (browser)", { timeout: 150_000 }, () => {
  const app = useDemoBrowser("costs", "routes/programs.$programId.costs");
  const { asUser, loaderData, figures, figuresOnceChanged } = app;

  for (const programId of ["octave-demo", "large-demo"]) {
    it(`${programId}: charts with marks and the report's figures`, async () => {
      await asUser("demo-admin", programId, async (page) => {
        const response = await page.goto(`${app.server.url}/programs/${programId}/costs`);
        expect(response?.status()).toBe(200);
        expect(await page.locator('figure[data-chart="costs-market-band"] svg g[data-mark="dot"] circle title').count()).toBeGreaterThan(1);
        expect(await page.locator('figure[data-chart="costs-market-band"] svg g[data-mark="rect"] rect').count()).toBe(1);
        expect(await page.locator('figure[data-chart="costs-by-category"] svg g[data-mark="bar"] rect').count()).toBeGreaterThan(1);
        expect(await page.locator('figure[data-chart="costs-by-month"] svg g[data-mark="bar"] rect title').count()).toBeGreaterThan(1);
        expect(await page.locator('figure[data-chart="costs-by-organization"] svg g[data-mark="bar"] rect').count()).toBeGreaterThan(1);
        const report = await (await page.request.get(`${app.server.url}/api/programs/${programId}/report.json`)).json();
        expect(await figures(page)).toEqual({
          total: String(report.costs.total),
          per_participant: String(report.costs.per_participant),
          per_matched_mentee: String(report.costs.per_matched_mentee),
          per_completed_pair: String(report.costs.per_completed_pair ?? ""),
          per_acquired_topic: String(report.costs.per_acquired_topic),
        });
        const data = (await loaderData(page)) as { page: { summary: { market_band_per_mentee: unknown } } };
        expect(data.page.summary.market_band_per_mentee).toEqual(report.costs.market_band_per_mentee);
      });
    });
  }

  it("a filter changes the URL and the numbers; filters that cannot apply are named", async () => {
    await asUser("demo-admin", "filter", async (page) => {
      await page.goto(`${app.server.url}/programs/octave-demo/costs`);
      const before = await figures(page);
      await page.selectOption('select[name="org"]', "BEAUMANOIR");
      await page.selectOption('select[name="generation"]', "gen_x");
      await Promise.all([page.waitForURL((url) => url.searchParams.get("org") === "BEAUMANOIR"), page.click(".filters button[type=submit]")]);
      const after = await figuresOnceChanged(page, before, "total");
      expect(Number(after.total)).toBeLessThan(Number(before.total));
      expect(await page.locator("[data-ignored-filters]").getAttribute("data-ignored-filters")).toBe("generation");
    });
  });

  it("a chart's CSV download equals the loader's data", async () => {
    await asUser("demo-admin", "csv", async (page) => {
      await page.goto(`${app.server.url}/programs/large-demo/costs`);
      const data = (await loaderData(page)) as { page: { by_month: Record<string, unknown>[] } };
      await page.locator('figure[data-chart="costs-by-month"] summary').click();
      const [download] = await Promise.all([page.waitForEvent("download"), page.click('figure[data-chart="costs-by-month"] a[data-download="csv"]')]);
      const lines = readFileSync((await download.path())!, "utf8").trim().split("\n");
      const header = lines[0].split(",");
      expect(header).toEqual(["month", "cost_category", "amount"]);
      const rows = lines.slice(1).map(parseCsvLine);
      expect(rows.length).toBe(data.page.by_month.length);
      rows.forEach((cells, i) => expect(cells).toEqual(header.map((key) => (data.page.by_month[i][key] === null ? "" : String(data.page.by_month[i][key])))));
    });
  });

  it("French money formats; a view without costs shows the empty state", async () => {
    await asUser("demo-sponsor", "sponsor", async (page) => {
      await app.browser.addCookies([{ name: "lang", value: "fr", url: app.server.url }]);
      await page.goto(`${app.server.url}/programs/octave-demo/costs`);
      expect((await page.locator('[data-figure="total"] .value').textContent())!.replace(/[\u00a0\u202f]/g, " ")).toMatch(/^\d{2} \d{3} €$/);
      const data = (await loaderData(page)) as { page: { by_organization: { group_key: string }[] } };
      expect(data.page.by_organization.map((r) => r.group_key)).toEqual(["BEAUMANOIR", "others"]);
      // No attention-list tab for a sponsor (the list names pairs: hr and admin only).
      expect(await page.locator('.tabs a[href*="/attention"]').count()).toBe(0);
      // The caption says the shared lines are in "others" here (there is no "not attributed" bar).
      expect(await page.locator('figure[data-chart="costs-by-organization"] figcaption').textContent()).toMatch(/^Ce que votre organisation a payé, et ce que les autres organisations ont payé ensemble avec les lignes communes/);
      await page.goto(`${app.server.url}/programs/octave-demo/costs?from=2026-06-01`);
      expect(await page.locator('section[data-page="costs"] > p.empty[data-empty="true"]').count()).toBe(1);
      expect(await page.locator('figure[data-chart] p.chart-empty').count()).toBe(4);
      expect(await page.locator('[data-figure="total"]').getAttribute("data-value")).toBe("");
    });
  });
});
