import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../support/server-process.ts";
import { launchBrowser, screenshot, signIn } from "./browser.ts";

// A person signs in with each demo account in a real browser and sees what the role may see.
describe("signing in as each role (browser)", () => {
  let dir: string;
  let server: RunningServer;
  let browser: BrowserContext;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "binome-e2e-"));
    server = await startServer({ BINOME_DB: join(dir, "binome.duckdb"), BINOME_DEMO: "1" });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const cases = [
    { username: "demo-admin", programs: ["large-demo", "octave-demo"], usersPage: 200 },
    { username: "demo-hr", programs: ["octave-demo"], usersPage: 403 },
    { username: "demo-rse", programs: ["octave-demo"], usersPage: 403 },
    { username: "demo-sponsor", programs: ["octave-demo"], usersPage: 403 },
  ];

  for (const { username, programs, usersPage } of cases) {
    it(`${username} sees ${programs.join(" and ")} and ${usersPage === 200 ? "may" : "may not"} manage users`, async () => {
      await browser.clearCookies();
      const page = await browser.newPage();
      try {
        const password = `binome-${username}`;
        await signIn(page, server.url, username, password);
        // The programs list is the home page: wait for it rather than reading a page still loading.
        await page.locator("tr[data-program-id]").first().waitFor();
        const listed = await page.locator("tr[data-program-id]").evaluateAll((rows) =>
          rows.map((row) => row.getAttribute("data-program-id")).sort(),
        );
        expect(listed).toEqual(programs);
        const users = await page.goto(`${server.url}/admin/users`);
        expect(users?.status()).toBe(usersPage);
      } catch (error) {
        await screenshot(page, `roles-${username}`);
        throw error;
      } finally {
        await page.close();
      }
    });
  }

  it("sends a signed-out visitor to the login page", async () => {
    await browser.clearCookies();
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.close();
  });
});
