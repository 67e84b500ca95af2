import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCsvLine, useDemoBrowser } from "./demo-browser.ts";

// The generational mix page in a real browser on both demo programs: pyramid, matrix, age gaps
// and octaves with marks, the figures the report also gives equal the report JSON's, a filter
// changes the URL and the numbers, a CSV download equals the loader's data, the sponsor's view
// (small cells hidden, other organizations merged).
// A loaded machine (several servers and browsers at once) makes the first page of a file slow.
describe("dashboards: generational mix (browser)", { timeout: 150_000 }, () => {
  const app = useDemoBrowser("generations", "routes/programs.$programId.generations");
  const { asUser, loaderData, figures, figuresOnceChanged } = app;

  for (const programId of ["octave-demo", "large-demo"]) {
    it(`${programId}: charts with marks and the report's figures`, async () => {
      await asUser("demo-admin", programId, async (page) => {
        const response = await page.goto(`${app.server.url}/programs/${programId}/generations`);
        expect(response?.status()).toBe(200);
        expect(await page.locator('figure[data-chart="generations-pyramid"] svg g[data-mark="bar"] rect title').count()).toBeGreaterThan(5);
        expect(await page.locator('figure[data-chart="generations-matrix"] svg g[data-mark="cell"] rect').count()).toBeGreaterThanOrEqual(16);
        expect(await page.locator('figure[data-chart="generations-age-gaps"] svg g[data-mark="rect"] rect').count()).toBeGreaterThan(3);
        expect(await page.locator('figure[data-chart="generations-octaves"] svg g[data-mark="bar"] rect').count()).toBe(6);
        expect(await page.locator('figure[data-chart="generations-by-organization"] svg g[data-mark="bar"] rect').count()).toBeGreaterThan(0);
        const report = await (await page.request.get(`${app.server.url}/api/programs/${programId}/report.json`)).json();
        expect(await figures(page)).toEqual({
          outside_core_share: String(report.generations.outside_core_share),
          cross_generation_pair_rate: String(report.generations.cross_generation_pair_rate),
          median_age_gap_years: String(report.generations.median_age_gap_years),
          pairs_reverse: String(report.pairs.reverse),
          participants_by_generation: null,
        });
        const data = (await loaderData(page)) as { page: { summary: { participants_by_generation: unknown } } };
        expect(data.page.summary.participants_by_generation).toEqual(report.generations.participants_by_generation);
      });
    });
  }

  it("a filter changes the URL and the numbers", async () => {
    await asUser("demo-admin", "filter", async (page) => {
      await page.goto(`${app.server.url}/programs/large-demo/generations`);
      const before = await figures(page);
      await page.selectOption('select[name="generation"]', "gen_z");
      await Promise.all([page.waitForURL((url) => url.searchParams.get("generation") === "gen_z"), page.click(".filters button[type=submit]")]);
      const after = await figuresOnceChanged(page, before, "outside_core_share");
      expect(after.outside_core_share).not.toBe(before.outside_core_share);
      expect(Number(after.outside_core_share)).toBeGreaterThan(Number(before.outside_core_share));
    });
  });

  it("a chart's CSV download equals the loader's data", async () => {
    await asUser("demo-admin", "csv", async (page) => {
      await page.goto(`${app.server.url}/programs/octave-demo/generations`);
      const data = (await loaderData(page)) as { page: { matrix: Record<string, unknown>[] } };
      await page.locator('figure[data-chart="generations-matrix"] summary').click();
      const [download] = await Promise.all([page.waitForEvent("download"), page.click('figure[data-chart="generations-matrix"] a[data-download="csv"]')]);
      const lines = readFileSync((await download.path())!, "utf8").trim().split("\n");
      const header = lines[0].split(",");
      expect(header).toEqual(["mentor_generation", "mentee_generation", "pairs", "pairs_reverse"]);
      const rows = lines.slice(1).map(parseCsvLine);
      expect(rows.length).toBe(data.page.matrix.length);
      rows.forEach((cells, i) => expect(cells).toEqual(header.map((key) => (data.page.matrix[i][key] === null ? "" : String(data.page.matrix[i][key])))));
    });
  });

  it("the sponsor sees small cells hidden and the other organizations merged", async () => {
    await asUser("demo-sponsor", "sponsor", async (page) => {
      await page.goto(`${app.server.url}/programs/octave-demo/generations`);
      // The header names the reader's organization by its name, not its identifier.
      expect((await page.locator(".user-corner small").textContent())?.replace(/\s+/g, " ").trim()).toBe("· Sponsor · Laiteries Beaumanoir");
      const data = (await loaderData(page)) as {
        page: { matrix: { suppressed: boolean; pairs: number | null }[]; by_organization: { group_key: string }[] };
      };
      expect(data.page.matrix.some((r) => r.suppressed && r.pairs === null)).toBe(true);
      expect(data.page.by_organization.map((r) => r.group_key)).toEqual(["BEAUMANOIR", "others"]);
      await page.locator('figure[data-chart="generations-matrix"] summary').click();
      expect(await page.locator('figure[data-chart="generations-matrix"] td', { hasText: "hidden" }).count()).toBeGreaterThan(0);
      expect(await page.content()).not.toContain("Orvéa Télécom");
      // The octaves add up hidden pyramid bands, so they are left out, and the chart says why
      // (it said "No data yet"); the age gaps name their hidden bands under the chart.
      expect(await page.locator('figure[data-chart="generations-octaves"] .chart-empty').textContent()).toMatch(/^Not shown in your view: the octaves add up age bands/);
      expect(await page.locator('figure[data-chart="generations-age-gaps"] p[data-note]').textContent()).toMatch(/^Bands with too few pairs to publish are not drawn/);
    });
  });
});
