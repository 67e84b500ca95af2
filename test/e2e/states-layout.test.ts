import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useDemoBrowser } from "./demo-browser.ts";

// Issue 14, items 7 and 9 and the keyboard: broken and empty states (a filter matching nothing,
// an unknown organization, an unknown page keeping the session's header without hydration
// errors, the month not over in meeting regularity), the header and the tables at 390 px, and a
// person who signs in, filters, downloads and switches language with the keyboard alone.
describe("empty and broken states, small screens, keyboard (browser)", () => {
  const app = useDemoBrowser("states", "routes/programs.$programId");

  /** Collects page errors and console errors (404 resource lines aside) while `body` runs. */
  async function errorsDuring(page: Page, body: () => Promise<void>): Promise<string[]> {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error" && !/status of 404/.test(m.text())) errors.push(m.text());
    });
    await body();
    return errors;
  }

  it("a filter that matches nothing says so in each empty chart, with a link that clears the filters", async () => {
    await app.asUser("demo-admin", "no-match", async (page) => {
      await page.goto(`${app.server.url}/programs/octave-demo/quality?cohort=1999-01`);
      const filtered = page.locator('figure.chart [data-empty="filtered"]');
      expect(await filtered.count()).toBeGreaterThan(0);
      expect(await filtered.first().textContent()).toContain("No pair matches these filters");
      expect(await page.locator("figure.chart").allTextContents()).not.toContainEqual(expect.stringContaining("No data yet"));
      await Promise.all([page.waitForURL((url) => url.search === ""), filtered.first().locator("a[data-clear-filters]").click()]);
      await page.waitForFunction(() => document.querySelectorAll('figure.chart [data-empty="filtered"]').length === 0);
      expect(await page.locator("figure.chart .chart-svg svg").count()).toBeGreaterThan(0);
    });
  });

  it("?org=NOPE gets the same notice as the other bad parameters", async () => {
    await app.asUser("demo-admin", "org-nope", async (page) => {
      await page.goto(`${app.server.url}/programs/octave-demo?org=NOPE`);
      const notices = await page.locator(".filters .notices li").allTextContents();
      expect(notices.join(" | ")).toContain("org=NOPE");
      expect(notices.join(" | ")).toContain("unknown value");
      // The figures are the program's, not an empty page.
      expect(Number(await page.locator("[data-tile=participants]").getAttribute("data-value"))).toBeGreaterThan(0);
    });
  });

  for (const path of ["/no-such-page", "/programs/octave-demo/nope"]) {
    it(`${path}: a 404 with the session's header, hydrated without React errors`, async () => {
      await app.asUser("demo-sponsor", `404-${path}`, async (page) => {
        let status: number | undefined;
        const errors = await errorsDuring(page, async () => {
          status = (await page.goto(`${app.server.url}${path}`))?.status();
          await page.waitForFunction(() => "__remixRouter" in window);
          await page.waitForLoadState("networkidle");
        });
        expect(status).toBe(404);
        expect(await page.locator(".error[data-status='404']").count()).toBe(1);
        expect(await page.locator(".site-header").textContent()).toContain("Sign out");
        expect(await page.title()).toContain("Not found");
        expect(errors).toEqual([]);
      });
    });
  }

  it("meeting regularity leaves the month not over out of the chart and says so (large-demo, two days into a month)", async () => {
    await app.asUser("demo-admin", "regularity", async (page) => {
      await page.goto(`${app.server.url}/programs/large-demo/quality`);
      const figure = page.locator('figure[data-chart="meeting-regularity"]');
      const rows = await figure.locator("details table tbody tr").count();
      const dots = await figure.locator('svg g[data-mark="dot"] circle').count();
      const caption = (await figure.locator("figcaption").textContent()) ?? "";
      const asOf = String(((await app.loaderData(page)) as { program: { as_of: string } }).program.as_of);
      if (asOf.slice(8, 10) !== new Date(Date.UTC(Number(asOf.slice(0, 4)), Number(asOf.slice(5, 7)), 0)).toISOString().slice(8, 10)) {
        expect(caption).toMatch(/is not drawn: only \d+ days/);
        expect(dots).toBe(rows - 1);
        expect(await figure.locator("details table tbody tr").last().textContent()).toContain("month not over");
      } else {
        expect(dots).toBe(rows);
      }
    });
  });

  it("at 390 px the header wraps (sign-out and language switch on screen) and the programs table fits", async () => {
    for (const user of ["demo-admin", "demo-sponsor"]) {
      await app.asUser(user, `390-${user}`, async (page) => {
        await page.setViewportSize({ width: 390, height: 844 });
        await page.goto(`${app.server.url}/`);
        await page.locator("tr[data-program-id]").first().waitFor();
        await page.waitForFunction(() => document.querySelector("table.data td[data-label]") !== null);
        const report = await page.evaluate(() => {
          const inView = (el: Element | null) => {
            const b = el?.getBoundingClientRect();
            return !!b && b.width > 0 && b.left >= 0 && b.right <= document.documentElement.clientWidth;
          };
          const table = document.querySelector("table.data") as HTMLElement;
          return {
            signOut: inView(document.querySelector(".user-corner button")),
            lang: inView(document.querySelector("[data-testid=lang-switch]")),
            page: document.documentElement.scrollWidth,
            table: [table.scrollWidth, table.clientWidth],
            tableRight: table.getBoundingClientRect().right,
          };
        });
        expect(report).toMatchObject({ signOut: true, lang: true });
        expect(report.page).toBeLessThanOrEqual(390);
        expect(report.table[0]).toBeLessThanOrEqual(report.table[1]);
        expect(report.tableRight).toBeLessThanOrEqual(390);
      });
    }
  });

  it("at 390 px a chart keeps its drawn size and scrolls inside its card, or draws its phone version, which fits; the page does not scroll", async () => {
    await app.asUser("demo-admin", "390-charts", async (page) => {
      await page.setViewportSize({ width: 390, height: 844 });
      const expected: Record<string, string> = {
        "/programs/large-demo/quality": "early-terminations",
        "/programs/large-demo/impact": "impact-effects",
        "/programs/large-demo/costs": "costs-market-band",
      };
      for (const [path, labelled] of Object.entries(expected)) {
        await page.goto(`${app.server.url}${path}`);
        // The phone versions are swapped in once the page runs (before, the wide ones are drawn).
        await page.locator('figure.chart .chart-svg[data-variant="phone"] svg').first().waitFor();
        const report = await page.evaluate(() => ({
          page: document.documentElement.scrollWidth,
          charts: [...document.querySelectorAll<HTMLElement>("figure.chart .chart-svg")].map((box) => {
            // The chart's own svg (a chart with a legend is a figure: the legend's swatches, then it).
            const svgs = [...box.querySelectorAll("svg")].filter((e) => e.getAttribute("width") !== null);
            const svg = svgs.sort((a, b) => Number(b.getAttribute("width")) - Number(a.getAttribute("width")))[0];
            return {
              chart: box.closest("figure")!.dataset.chart,
              variant: box.dataset.variant,
              drawn: Number(svg.getAttribute("width")),
              shown: Math.round(svg.getBoundingClientRect().width),
              box: box.clientWidth,
              scrolls: box.scrollWidth > box.clientWidth,
            };
          }),
        }));
        expect(report.page, path).toBeLessThanOrEqual(390);
        expect(report.charts.length, path).toBeGreaterThan(1);
        for (const c of report.charts) {
          if (c.variant === "phone") {
            // Drawn for the phone: on screen whole (labels and bars), shrunk at most a little.
            expect(c.drawn, JSON.stringify(c)).toBeLessThan(400);
            expect(c.scrolls, JSON.stringify(c)).toBe(false);
            expect(c.shown, JSON.stringify(c)).toBeGreaterThanOrEqual(Math.floor(c.drawn * 0.85));
          } else {
            // Labels at the size they were drawn at (shrunk to ~330 px, they were 4–6 px high).
            expect(c.shown, JSON.stringify(c)).toBe(c.drawn);
            if (c.drawn > c.box) expect(c.scrolls, JSON.stringify(c)).toBe(true);
          }
        }
        // The charts of row labels (early terminations, the impact effects, the market band) have one.
        expect(report.charts.filter((c) => c.variant === "phone").map((c) => c.chart), path).toContain(labelled);
      }
    });
  });

  it("signs in, filters, downloads and switches language with the keyboard alone", async () => {
    await app.browser.clearCookies();
    const page = await app.browser.newPage();
    try {
      /** Presses Tab until the focused element matches `selector` (at most `max` times). */
      const tabTo = async (selector: string, max = 80) => {
        for (let i = 0; i < max; i++) {
          await page.keyboard.press("Tab");
          if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
        }
        throw new Error(`Tab never reached ${selector}`);
      };
      await page.goto(`${app.server.url}/login`);
      await tabTo("input[name=username]");
      await page.keyboard.type("demo-hr");
      await tabTo("input[name=password]");
      await page.keyboard.type("binome-demo-hr");
      await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.keyboard.press("Enter")]);
      await page.locator("tr[data-program-id]").first().waitFor();
      await page.waitForFunction(() => "__remixRouter" in window);
      await tabTo('a[href="/programs/octave-demo"]');
      await Promise.all([page.waitForURL((url) => url.pathname === "/programs/octave-demo"), page.keyboard.press("Enter")]);
      await page.locator("[data-testid=filters]").waitFor();
      // The role filter: focused, "mentee" chosen with the arrow keys, applied with Enter on the button.
      await tabTo("select[name=role]");
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("ArrowDown");
      await tabTo(".filters button[type=submit]");
      await Promise.all([page.waitForURL((url) => url.searchParams.get("role") === "mentee"), page.keyboard.press("Enter")]);
      // A chart's CSV, downloaded with Enter on its link.
      await tabTo('a[data-download="csv"]');
      const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
      const path = await download.path();
      expect(readFileSync(path, "utf8").split("\n")[0].length).toBeGreaterThan(0);
      // The language switch, in the header: back to the same page, in French.
      await tabTo("[data-testid=lang-switch]");
      await Promise.all([page.waitForURL((url) => url.pathname === "/programs/octave-demo" && url.searchParams.get("role") === "mentee"), page.keyboard.press("Enter")]);
      await page.waitForFunction(() => document.documentElement.lang === "fr");
      expect(await page.locator("[data-testid=lang-switch]").textContent()).toBe("English");
    } finally {
      await page.close();
    }
  });
});
