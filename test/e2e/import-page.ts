import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { startServer, type RunningServer } from "../support/server-process.ts";
import { launchBrowser, screenshot, signIn } from "./browser.ts";

export interface ImportPageSuite {
  /** A temporary folder for the test's files (the database and uploads live in it too). */
  dir: string;
  server: RunningServer;
  browser: BrowserContext;
}

/**
 * For a describe block of the import page's browser tests: a server with the demo accounts on its
 * own database and a browser (started before the tests, stopped after), and `withAdmin`, which
 * opens /admin/imports signed in as the demo administrator, runs the test's steps and saves a
 * screenshot under test-results/ (`-failed` when a step failed).
 */
export function importPageSuite(name: string) {
  const suite = {} as ImportPageSuite;
  beforeAll(async () => {
    suite.dir = mkdtempSync(join(tmpdir(), `binome-e2e-${name}-`));
    suite.server = await startServer({ BINOME_DB: join(suite.dir, "binome.duckdb"), BINOME_DEMO: "1", BINOME_UPLOAD_DIR: join(suite.dir, "uploads") });
    suite.browser = await launchBrowser();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
    if (suite.dir) rmSync(suite.dir, { recursive: true, force: true });
  });
  async function withAdmin(shot: string, fn: (page: Page) => Promise<void>, viewport = { width: 1366, height: 900 }) {
    await suite.browser.clearCookies();
    const page = await suite.browser.newPage();
    await page.setViewportSize(viewport);
    page.setDefaultTimeout(20_000);
    try {
      await signIn(page, suite.server.url, "demo-admin", "binome-demo-admin");
      await page.goto(`${suite.server.url}/admin/imports`);
      await fn(page);
      await screenshot(page, `${name}-${shot}`);
    } catch (error) {
      await screenshot(page, `${name}-${shot}-failed`);
      throw error;
    } finally {
      await page.close();
    }
  }
  return { suite, withAdmin };
}
