import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { screenshot } from "./browser.ts";
import { parseCsvLine, useDemoBrowser } from "./demo-browser.ts";

// The attention list in a real browser (issue 14, item 3): opened from the Overview's tile, the
// counts equal the tile's; sorting by a column header reorders within the category; the list's
// filter form changes the URL and the rows; the CSV download holds the same selection; the empty
// state of each category; hr sees it, rse does not (no tile, 403); at 390 px the list does not
// widen the page. Screenshots at 1,366 and 390 px are written to test-results/ on every run.
describe("dashboards: attention list (browser)", { timeout: 180_000 }, () => {
  const app = useDemoBrowser("attention", "routes/programs.$programId.attention");
  const { asUser } = app;

  it("admin on large-demo: from the tile, sort, filter, download", async () => {
    await asUser("demo-admin", "admin", async (page) => {
      await page.setViewportSize({ width: 1366, height: 900 });
      await page.goto(`${app.server.url}/programs/large-demo`);
      const tile = page.locator('[data-tile="needs_check_in"]');
      const tileValue = await tile.getAttribute("data-value");
      expect(Number(tileValue)).toBeGreaterThan(100);
      await Promise.all([page.waitForURL((url) => url.pathname === "/programs/large-demo/attention"), tile.locator('a[data-link="attention"]').click()]);
      expect(await page.locator('[data-category="needs_check_in"]').getAttribute("data-value")).toBe(tileValue);
      // Its tab, shown to hr and admin, is the current one.
      expect(await page.locator('.tabs a[href^="/programs/large-demo/attention"]').getAttribute("aria-current")).toBe("page");
      expect(await page.locator("p[data-ended]").count()).toBe(0); // large-demo runs until February 2027
      expect(await page.locator('table[data-testid="attention-needs_check_in"] tbody tr').count()).toBe(50);
      await screenshot(page, "attention-admin-1366");

      // Sort by matched date (a column header): ascending, then descending on a second click.
      const matchedOf = () => page.locator('table[data-testid="attention-needs_check_in"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute("data-matched")!));
      await Promise.all([
        page.waitForURL((url) => url.searchParams.get("sort") === "matched"),
        page.locator('table[data-testid="attention-needs_check_in"] th a[data-sort="matched"]').click(),
      ]);
      // The URL changes when the navigation commits; wait for the sorted table itself.
      await page.locator('table[data-testid="attention-needs_check_in"] th[aria-sort="ascending"]').waitFor();
      const up = await matchedOf();
      expect(up).toEqual([...up].sort());
      expect(await page.locator('table[data-testid="attention-needs_check_in"] th[aria-sort="ascending"]').count()).toBe(1);
      await Promise.all([
        page.waitForURL((url) => url.searchParams.get("dir") === "desc"),
        page.locator('table[data-testid="attention-needs_check_in"] th a[data-sort="matched"]').click(),
      ]);
      await page.locator('table[data-testid="attention-needs_check_in"] th[aria-sort="descending"]').waitFor();
      const down = await matchedOf();
      expect(down).toEqual([...down].sort().reverse());
      expect(down).not.toEqual(up);

      // Filter: one category and one reason through the list's form.
      const form = page.locator('form[data-testid="attention-filters"]');
      await form.locator('select[name="category"]').selectOption("needs_check_in");
      await form.locator('select[name="reason"]').selectOption("no_recent_meeting");
      await Promise.all([page.waitForURL((url) => url.searchParams.get("reason") === "no_recent_meeting"), form.locator("button[type=submit]").click()]);
      // The URL changes when the navigation commits: wait for the filtered list itself (the other
      // categories gone) before reading its total, which was read from the previous page under load.
      await page.locator('section[data-section="too_early"]').waitFor({ state: "detached" });
      const total = Number(await page.locator('[data-testid="attention-shown"]').getAttribute("data-total"));
      expect(total).toBeGreaterThan(0);
      expect(total).toBeLessThanOrEqual(Number(tileValue));
      expect(await page.locator('section[data-section="too_early"]').count()).toBe(0);
      const shownIds = await page.locator("tr[data-pair-id]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-pair-id")!));
      expect(shownIds.length).toBe(Math.min(total, 50));
      for (const why of await page.locator("tr[data-pair-id] td:nth-child(6)").allTextContents()) expect(why).toContain("No meeting in 45 days");

      // The download: the same selection, in the same order, every page.
      const [download] = await Promise.all([page.waitForEvent("download"), page.click('a[data-download="attention-csv"]')]);
      const lines = readFileSync((await download.path())!, "utf8").trim().split("\n");
      const header = parseCsvLine(lines[0]);
      const rows = lines.slice(1).map((l) => Object.fromEntries(parseCsvLine(l).map((v, i) => [header[i], v])));
      expect(rows.length).toBe(total);
      expect(rows.slice(0, shownIds.length).map((r) => r.pair_id)).toEqual(shownIds);
      expect(rows.every((r) => r.category === "needs_check_in" && r.no_recent_meeting === "true")).toBe(true);

      // At 390 px the list scrolls inside its tables instead of widening the page.
      await page.setViewportSize({ width: 390, height: 844 });
      const widths = await page.evaluate(() => {
        const section = document.querySelector('section[data-page="attention"]')!.getBoundingClientRect();
        const tables = [...document.querySelectorAll("section[data-page=attention] table, section[data-page=attention] form")].map((t) => t.getBoundingClientRect().right);
        return { section: section.right, widest: Math.max(...tables) };
      });
      expect(widths.section).toBeLessThanOrEqual(390);
      expect(widths.widest).toBeLessThanOrEqual(390);
      await screenshot(page, "attention-admin-390");
    });
  });

  it("hr on octave-demo (a program that is over): the tile and the empty state of each category, in French", async () => {
    await asUser("demo-hr", "hr", async (page) => {
      await app.browser.addCookies([{ name: "lang", value: "fr", url: app.server.url }]);
      await page.goto(`${app.server.url}/programs/octave-demo`);
      expect(await page.locator('[data-tile="needs_check_in"]').getAttribute("data-value")).toBe("0");
      await Promise.all([page.waitForURL((url) => url.pathname.endsWith("/attention")), page.click('[data-tile="needs_check_in"] a[data-link="attention"]')]);
      await page.locator('p.empty[data-empty="on_track"]').waitFor();
      expect(await page.locator("p.empty[data-empty]").evaluateAll((ps) => ps.map((p) => p.getAttribute("data-empty")))).toEqual(["needs_check_in", "too_early", "on_track"]);
      expect(await page.locator("section[data-page=attention] h2").textContent()).toBe("Binômes à suivre");
      // Why every category is empty: the program is over.
      expect(await page.locator("p[data-ended]").textContent()).toBe("Le programme s'est terminé le 31 mai 2026\u202f: aucun binôme n'était encore actif ce jour-là, toutes les catégories sont donc vides.");
      await screenshot(page, "attention-hr-fr-1366");
    });
  });

  it("rse: no tile, and the list is refused (403)", async () => {
    await asUser("demo-rse", "rse", async (page) => {
      await page.goto(`${app.server.url}/programs/octave-demo`);
      expect(await page.locator('[data-tile="needs_check_in"]').count()).toBe(0);
      expect((await page.goto(`${app.server.url}/programs/octave-demo/attention`))?.status()).toBe(403);
      expect((await page.request.get(`${app.server.url}/programs/octave-demo/attention.csv`)).status()).toBe(403);
    });
  });
});
