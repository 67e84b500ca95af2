import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCsvLine, useDemoBrowser } from "./demo-browser.ts";

// The topic completion page in a real browser on both demo programs: charts with marks, the
// figures the report also gives equal the report JSON's, a filter changes the URL and the
// numbers, a CSV download equals the loader's data, suppression for CSR, French strings.
// A loaded machine (several servers and browsers at once) makes the first page of a file slow.
describe("dashboards: topic completion (browser)", { timeout: 150_000 }, () => {
  const app = useDemoBrowser("topics", "routes/programs.$programId.topics");
  const { asUser, loaderData, figures, figuresOnceChanged } = app;

  for (const programId of ["octave-demo", "large-demo"]) {
    it(`${programId}: charts with marks and the report's figures`, async () => {
      await asUser("demo-admin", programId, async (page) => {
        const response = await page.goto(`${app.server.url}/programs/${programId}/topics`);
        expect(response?.status()).toBe(200);
        expect(await page.locator('figure[data-chart="topics-by-topic"] svg g[data-mark="bar"] rect').count()).toBeGreaterThan(10);
        expect(await page.locator('figure[data-chart="topics-by-topic"] svg rect title').count()).toBeGreaterThan(10);
        expect(await page.locator('figure[data-chart="topics-days-to-acquire"] svg g[data-mark="rect"] rect').count()).toBeGreaterThan(3);
        for (const chart of ["topics-by-category", "topics-by-cohort", "topics-by-generation"]) {
          expect(await page.locator(`figure[data-chart="${chart}"] svg g[data-mark="bar"] rect`).count()).toBeGreaterThan(0);
        }
        const report = await (await page.request.get(`${app.server.url}/api/programs/${programId}/report.json`)).json();
        expect(await figures(page)).toEqual({
          topics_targeted: String(report.topics.targeted),
          topics_acquired: String(report.topics.acquired),
          completion_rate: String(report.topics.completion_rate),
          median_days_to_acquire: String(report.topics.median_days_to_acquire),
        });
      });
    });
  }

  it("a filter changes the URL and the numbers", async () => {
    await asUser("demo-admin", "filter", async (page) => {
      await page.goto(`${app.server.url}/programs/octave-demo/topics`);
      const before = await figures(page);
      const org = await page.locator('select[name="org"] option').nth(1).getAttribute("value");
      await page.selectOption('select[name="org"]', org!);
      await Promise.all([page.waitForURL((url) => url.searchParams.get("org") === org), page.click(".filters button[type=submit]")]);
      const after = await figuresOnceChanged(page, before, "topics_targeted");
      expect(Number(after.topics_targeted)).toBeLessThan(Number(before.topics_targeted));
      expect(Number(after.topics_targeted)).toBeGreaterThan(0);
    });
  });

  it("a chart's CSV download equals the loader's data", async () => {
    await asUser("demo-admin", "csv", async (page) => {
      await page.goto(`${app.server.url}/programs/large-demo/topics`);
      const data = (await loaderData(page)) as { page: { by_topic: Record<string, unknown>[] } };
      await page.locator('figure[data-chart="topics-by-topic"] summary').click();
      const [download] = await Promise.all([page.waitForEvent("download"), page.click('figure[data-chart="topics-by-topic"] a[data-download="csv"]')]);
      expect(download.suggestedFilename()).toBe("topics-by-topic.csv");
      const lines = readFileSync((await download.path())!, "utf8").trim().split("\n");
      const header = lines[0].split(",");
      expect(header).toEqual(["group", "topic_name", "topic_category", "topics_targeted", "topics_acquired", "completion_rate", "median_days_to_acquire", "mentees"]);
      const rows = lines.slice(1).map(parseCsvLine);
      expect(rows.length).toBe(data.page.by_topic.length);
      rows.forEach((cells, i) => expect(cells).toEqual(header.map((key) => (data.page.by_topic[i][key] === null ? "" : String(data.page.by_topic[i][key])))));
    });
  });

  it("CSR gets no row of fewer than 5 mentees; French strings with the lang cookie", async () => {
    await asUser("demo-rse", "rse", async (page) => {
      await app.browser.addCookies([{ name: "lang", value: "fr", url: app.server.url }]);
      await page.goto(`${app.server.url}/programs/octave-demo/topics?role=mentee&org=BEAUMANOIR`);
      expect(await page.locator("h2").first().textContent()).toBe("Acquisition des thèmes");
      const data = (await loaderData(page)) as { page: { k: number; by_topic: { suppressed: boolean; mentees: number | null }[] } };
      expect(data.page.k).toBe(5);
      expect(data.page.by_topic.some((r) => r.suppressed)).toBe(true);
      for (const row of data.page.by_topic) {
        if (row.suppressed) expect(row.mentees).toBeNull();
        else expect(row.mentees!).toBeGreaterThanOrEqual(5);
      }
    });
  });
});
