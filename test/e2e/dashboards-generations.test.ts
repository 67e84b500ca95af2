import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../support/server-process.ts";
import { launchBrowser, screenshot } from "./browser.ts";

// The generational mix page in a real browser on both demo programs: pyramid, matrix, age gaps
// and octaves with marks, the figures the report also gives equal the report JSON's, a filter
// changes the URL and the numbers, a CSV download equals the loader's data, the sponsor's view
// (small cells hidden, other organizations merged).
// A loaded machine (several servers and browsers at once) makes the first page of a file slow.
describe("dashboards: generational mix (browser)", { timeout: 150_000 }, () => {
  let dir: string;
  let server: RunningServer;
  let browser: BrowserContext;
  const ROUTE = "routes/programs.$programId.generations";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "binome-generations-e2e-"));
    server = await startServer({ BINOME_DB: join(dir, "binome.duckdb"), BINOME_DEMO: "1" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function asUser(user: string, name: string, body: (page: Page) => Promise<void>): Promise<void> {
    await browser.clearCookies();
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}/login`);
      await page.fill("input[name=username]", user);
      await page.fill("input[name=password]", `binome-${user}`);
      await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.click("main button[type=submit]")]);
      await body(page);
    } catch (error) {
      await screenshot(page, `dashboards-generations-${name}`);
      throw error;
    } finally {
      await page.close();
    }
  }
  /** The route's loader data as the browser holds it (Remix's router state, once hydrated). */
  const loaderData = async (page: Page) => {
    await page.waitForFunction(() => "__remixRouter" in window, undefined, { timeout: 90_000 });
    return page.evaluate((id) => (window as unknown as { __remixRouter: { state: { loaderData: Record<string, unknown> } } }).__remixRouter.state.loaderData[id], ROUTE);
  };
  const figures = (page: Page) =>
    page.locator("[data-figure]").evaluateAll((tiles) => Object.fromEntries(tiles.map((t) => [t.getAttribute("data-figure"), t.getAttribute("data-value")])));

  for (const programId of ["octave-demo", "large-demo"]) {
    it(`${programId}: charts with marks and the report's figures`, async () => {
      await asUser("demo-admin", programId, async (page) => {
        const response = await page.goto(`${server.url}/programs/${programId}/generations`);
        expect(response?.status()).toBe(200);
        expect(await page.locator('figure[data-chart="generations-pyramid"] svg g[aria-label="bar"] rect title').count()).toBeGreaterThan(5);
        expect(await page.locator('figure[data-chart="generations-matrix"] svg g[aria-label="cell"] rect').count()).toBeGreaterThanOrEqual(16);
        expect(await page.locator('figure[data-chart="generations-age-gaps"] svg g[aria-label="rect"] rect').count()).toBeGreaterThan(3);
        expect(await page.locator('figure[data-chart="generations-octaves"] svg g[aria-label="bar"] rect').count()).toBe(6);
        expect(await page.locator('figure[data-chart="generations-by-organization"] svg g[aria-label="bar"] rect').count()).toBeGreaterThan(0);
        const report = await (await page.request.get(`${server.url}/api/programs/${programId}/report.json`)).json();
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
      await page.goto(`${server.url}/programs/large-demo/generations`);
      const before = await figures(page);
      await page.selectOption('select[name="generation"]', "gen_z");
      await Promise.all([page.waitForURL((url) => url.searchParams.get("generation") === "gen_z"), page.click(".filters button[type=submit]")]);
      await page.waitForLoadState("networkidle");
      const after = await figures(page);
      expect(after.outside_core_share).not.toBe(before.outside_core_share);
      expect(Number(after.outside_core_share)).toBeGreaterThan(Number(before.outside_core_share));
    });
  });

  it("a chart's CSV download equals the loader's data", async () => {
    await asUser("demo-admin", "csv", async (page) => {
      await page.goto(`${server.url}/programs/octave-demo/generations`);
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
      await page.goto(`${server.url}/programs/octave-demo/generations`);
      const data = (await loaderData(page)) as {
        page: { matrix: { suppressed: boolean; pairs: number | null }[]; by_organization: { group_key: string }[] };
      };
      expect(data.page.matrix.some((r) => r.suppressed && r.pairs === null)).toBe(true);
      expect(data.page.by_organization.map((r) => r.group_key)).toEqual(["BEAUMANOIR", "others"]);
      await page.locator('figure[data-chart="generations-matrix"] summary').click();
      expect(await page.locator('figure[data-chart="generations-matrix"] td', { hasText: "hidden" }).count()).toBeGreaterThan(0);
      expect(await page.content()).not.toContain("Orvéa Télécom");
    });
  });
});

function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") cells.push(cell), (cell = "");
    else cell += c;
  }
  cells.push(cell);
  return cells;
}
