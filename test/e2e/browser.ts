import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { CHROMIUM } from "../setup/chromium.ts";

/**
 * Launches Debian's chromium headless with the flags this closed network needs (STACK.md) and a
 * fresh profile. Each test clears cookies to start signed out.
 */
export async function launchBrowser(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "binome-chromium-")), {
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Saves a screenshot under test-results/ (kept by CI on failure) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync("test-results", { recursive: true });
  const path = join("test-results", `${name.replace(/[^a-z0-9-]+/gi, "-")}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Signs in through the login form, as a person would. */
export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill("input[name=username]", username);
  await page.fill("input[name=password]", password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.click("button[type=submit]")]);
}
