import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { startServer, type RunningServer } from "../support/server-process.ts";
import { launchBrowser, screenshot } from "./browser.ts";

/**
 * One demo server and one browser for a dashboard test file: started before its tests, stopped
 * after. `name` labels the temporary folder and the failure screenshots; `route` is the Remix
 * route id whose loader data `loaderData` reads.
 */
export function useDemoBrowser(name: string, route: string) {
  let dir = "";
  let server: RunningServer | undefined;
  let browser: BrowserContext | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `binome-${name}-e2e-`));
    server = await startServer({ BINOME_DB: join(dir, "binome.duckdb"), BINOME_DEMO: "1" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const app = {
    get server(): RunningServer {
      if (!server) throw new Error("the demo server is not started yet");
      return server;
    },
    get browser(): BrowserContext {
      if (!browser) throw new Error("the browser is not started yet");
      return browser;
    },
    /** Runs `body` on a fresh page signed in as a demo user, with a screenshot when it fails. */
    async asUser(user: string, label: string, body: (page: Page) => Promise<void>): Promise<void> {
      await app.browser.clearCookies();
      const page = await app.browser.newPage();
      try {
        await page.goto(`${app.server.url}/login`);
        await page.fill("input[name=username]", user);
        await page.fill("input[name=password]", `binome-${user}`);
        await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.click("main button[type=submit]")]);
        await body(page);
      } catch (error) {
        await screenshot(page, `dashboards-${name}-${label}`);
        throw error;
      } finally {
        await page.close();
      }
    },
    /** The route's loader data as the browser holds it (Remix's router state, once hydrated). */
    async loaderData(page: Page): Promise<unknown> {
      await page.waitForFunction(() => "__remixRouter" in window, undefined, { timeout: 90_000 });
      return page.evaluate(
        (id) => (window as unknown as { __remixRouter: { state: { loaderData: Record<string, unknown> } } }).__remixRouter.state.loaderData[id],
        route,
      );
    },
    /** The figures the page marks with `data-figure` / `data-value`. */
    figures(page: Page): Promise<Record<string, string | null>> {
      return page
        .locator("[data-figure]")
        .evaluateAll((tiles) => Object.fromEntries(tiles.map((t) => [t.getAttribute("data-figure"), t.getAttribute("data-value")])));
    },
    /**
     * The figures once `key` differs from `before` (or after 30 s, as they are): the router
     * changes the URL before React has drawn the new loader data, so a read right after the URL
     * changed may still see the old page (a loaded machine's CI run did).
     */
    async figuresOnceChanged(page: Page, before: Record<string, string | null>, key: string): Promise<Record<string, string | null>> {
      await expect.poll(async () => (await app.figures(page))[key], { timeout: 30_000 }).not.toBe(before[key]).catch(() => undefined);
      return app.figures(page);
    },
  };
  // The methods use `app`, not `this`: callers may destructure them.
  return app;
}

/** One line of a CSV that Binôme wrote (RFC 4180 quoting, no line breaks inside cells). */
export function parseCsvLine(line: string): string[] {
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
