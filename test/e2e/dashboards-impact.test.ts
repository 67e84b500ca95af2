import { describe, expect, it } from "vitest";
import { useDemoBrowser } from "./demo-browser.ts";

// The Impact page (issue 13) in a real browser on the demo: the two survival curves with their
// bands, the effect beside the naive difference, the balance table and the ladder; the figures
// equal the report JSON's; a sponsor sees its own organization and "others" only; the horizon
// control; French; money said absent without a cost per departure.
describe("dashboards: impact (browser)", { timeout: 180_000 }, () => {
  const app = useDemoBrowser("impact", "routes/programs.$programId.impact");
  const { asUser, loaderData } = app;

  it("large-demo: curves, effects and balance drawn; the tiles are the report's effects", async () => {
    await asUser("demo-admin", "large", async (page) => {
      const response = await page.goto(`${app.server.url}/programs/large-demo/impact`);
      expect(response?.status()).toBe(200);
      for (const id of ["impact-retention", "impact-promotion"]) {
        expect(await page.locator(`figure[data-chart="${id}"] svg g[data-mark="area"] path`).count(), id).toBeGreaterThanOrEqual(2);
        expect(await page.locator(`figure[data-chart="${id}"] svg g[data-mark="dot"] circle title`).count(), id).toBe(13 * 3);
      }
      expect(await page.locator('figure[data-chart="impact-effects"] svg g[data-mark="dot"] circle').count()).toBe(4);
      expect(await page.locator('table[data-table="impact-balance"] tbody tr').count()).toBeGreaterThan(10);
      const report = await (await page.request.get(`${app.server.url}/api/programs/large-demo/report.json?impact=1`)).json();
      for (const outcome of ["retention", "promotion"]) {
        expect(await page.locator(`[data-figure="${outcome}"]`).getAttribute("data-effect")).toBe(String(report.impact[outcome].effect));
      }
      expect(await page.locator('[data-section="money"] [data-money-status]').getAttribute("data-money-status")).toBe("no_cost_per_departure");
      expect(await page.locator('table[data-table="impact-ladder"] tr').count()).toBe(6);
      // Without ?impact=1 (or ?horizon=) the JSON report does not compute them.
      expect((await (await page.request.get(`${app.server.url}/api/programs/large-demo/report.json`)).json()).impact).toBeNull();
    });
  });

  it("the horizon control: past the extract (12 months) the page says how far it can go", async () => {
    await asUser("demo-admin", "horizon", async (page) => {
      await page.goto(`${app.server.url}/programs/octave-demo/impact`);
      await page.fill('input[name="horizon"]', "18");
      await Promise.all([page.waitForURL((url) => url.searchParams.get("horizon") === "18"), page.click(".impact-horizon button[type=submit]")]);
      expect(await page.locator('[data-empty="horizon"]').textContent()).toContain("12");
      await page.goto(`${app.server.url}/programs/octave-demo/impact?horizon=6`);
      expect(await page.locator('section[data-page="impact"]').getAttribute("data-status")).toBe("ok");
    });
  });

  it("a sponsor sees its own organization and the others as one group, in French", async () => {
    await asUser("demo-sponsor", "sponsor", async (page) => {
      await app.browser.addCookies([{ name: "lang", value: "fr", url: app.server.url }]);
      await page.goto(`${app.server.url}/programs/octave-demo/impact`);
      expect(await page.locator("h2").first().textContent()).toBe("Impact");
      expect(await page.locator('[data-section="assumptions"]').textContent()).toContain("Comment le lire");
      const data = (await loaderData(page)) as { impact: { retention: { by_organization: { org_id: string }[]; balance: { covariate: string; level: string }[] } } };
      expect(data.impact.retention.by_organization.map((r) => r.org_id)).toEqual(["BEAUMANOIR", "others"]);
      expect(data.impact.retention.balance.filter((b) => b.covariate === "organization").map((b) => b.level).sort()).toEqual(["BEAUMANOIR", "others"]);
      const body = await page.content();
      for (const other of ["CLAIRVAL", "DUPERRIER", "ENERLOIRE", "ORVEA", "VALMY-AERO"]) expect(body.includes(other), other).toBe(false);
      // The organization by its name, as everywhere else, never by its identifier.
      const groups = await page.locator('table[data-table="impact-groups"] tbody tr td:first-child').allTextContents();
      expect(groups).toContain("Laiteries Beaumanoir");
      const balance = await page.locator('table[data-table="impact-balance"] tbody tr').allTextContents();
      expect(balance.some((row) => row.includes("Laiteries Beaumanoir"))).toBe(true);
      for (const row of [...groups, ...balance]) expect(row).not.toContain("BEAUMANOIR");
      for (const other of ["Maison Clairval", "Banque Duperrier", "Énergies de la Loire", "Orvéa", "Aéroconstructions"]) expect(body.includes(other), other).toBe(false);
    });
  });
});
