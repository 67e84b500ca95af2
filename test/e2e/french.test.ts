import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../support/server-process.ts";
import { launchBrowser, screenshot } from "./browser.ts";
import { englishSentences, englishStrings, findEnglish, loadCatalogues, pageSegments, type EnglishString } from "./english-finder.ts";

// The French interface, page by page, for every role that can open the page, on the demo data
// (octave-demo): no string of the English catalogues may be left (the rule is in
// english-finder.ts). A French CSV download opens right in a French Excel.

/**
 * import page: issue 14 item 6/8, h-importweb. English that the import page (/admin/imports)
 * still shows in French, reworked on that branch: delete this list when merging it.
 * Entries are `catalogue key` sources as english-finder reports them.
 */
const PROGRAM = "octave-demo";

/** The findings of one walk, one per line, under test-results/ (ignored), for reading them all. */
function writeFindings(name: string, lines: string[]): void {
  mkdirSync("test-results", { recursive: true });
  writeFileSync(join("test-results", `french-${name}.txt`), lines.length ? `${lines.join("\n")}\n` : "");
}
const ROLES = ["demo-admin", "demo-hr", "demo-rse", "demo-sponsor"] as const;
const ADMIN_PAGES = ["/admin/users", "/admin/imports", "/admin/programs", "/admin/erasure", "/admin/backups"];

describe("the French interface has no English left (browser)", { timeout: 300_000 }, () => {
  let dir = "";
  let server: RunningServer;
  let browser: BrowserContext;
  let strings: EnglishString[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "binome-french-e2e-"));
    [server, browser, strings] = await Promise.all([
      startServer({ BINOME_DB: join(dir, "binome.duckdb"), BINOME_DEMO: "1" }),
      launchBrowser(),
      loadCatalogues().then(englishStrings),
    ]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh page, signed out, in French (the `lang` cookie the language switch sets). */
  async function frenchPage(): Promise<Page> {
    await browser.clearCookies();
    await browser.addCookies([{ name: "lang", value: "fr", url: server.url }]);
    return browser.newPage();
  }

  async function signIn(page: Page, user: string): Promise<void> {
    await page.goto(`${server.url}/login`);
    await page.fill("input[name=username]", user);
    await page.fill("input[name=password]", `binome-${user}`);
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.click("main button[type=submit]")]);
  }

  /** The English found on the page now, as `path: source "text" in "…"` lines. */
  async function englishOn(page: Page, label: string, allowed: readonly string[] = []): Promise<string[]> {
    expect(await page.getAttribute("html", "lang"), label).toBe("fr");
    const segments = await page.evaluate(pageSegments);
    // FRENCH_DUMP=1: every text segment of every page under test-results/, to read them by eye.
    if (process.env.FRENCH_DUMP) appendFileSync(join("test-results", "french-segments.txt"), segments.map((s) => `${label}\t${s.replace(/\s+/g, " ").trim()}`).join("\n") + "\n");
    const found = findEnglish(strings, segments);
    return [
      ...found.filter((f) => !allowed.includes(f.source)).map((f) => `${label}: ${f.source} "${f.text}" in "${f.in}"`),
      ...englishSentences(segments).filter((s) => !allowed.includes(s)).map((s) => `${label}: English sentence "${s}"`),
    ];
  }

  async function visit(page: Page, path: string, label: string): Promise<string[]> {
    await page.goto(`${server.url}${path}`);
    await page.waitForLoadState("networkidle");
    return englishOn(page, label, []);
  }

  it("the rule finds English: the English pages are full of it", async () => {
    await browser.clearCookies();
    const page = await browser.newPage();
    try {
      // This guards the rule, not the pages: in English, every page is found to be English.
      await page.goto(`${server.url}/login`);
      expect(findEnglish(strings, await page.evaluate(pageSegments)).length, "/login").toBeGreaterThan(3);
      await signIn(page, "demo-admin");
      for (const path of [`/programs/${PROGRAM}`, "/admin/users", "/account"]) {
        await page.goto(`${server.url}${path}`);
        expect(findEnglish(strings, await page.evaluate(pageSegments)).length, path).toBeGreaterThan(3);
      }
    } finally {
      await page.close();
    }
  });

  it("signed out: the login page and a failed sign-in", async () => {
    const page = await frenchPage();
    try {
      const english = await visit(page, "/login", "/login");
      await page.fill("input[name=username]", "nobody");
      await page.fill("input[name=password]", "wrong password");
      await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.click("main button[type=submit]")]);
      await page.waitForSelector(".form-error");
      english.push(...(await englishOn(page, "/login (failed)")));
      expect(english).toEqual([]);
    } catch (error) {
      await screenshot(page, "french-login");
      throw error;
    } finally {
      await page.close();
    }
  });

  for (const user of ROLES) {
    it(`${user}: every page it may open`, async () => {
      const page = await frenchPage();
      const english: string[] = [];
      try {
        await signIn(page, user);
        english.push(...(await visit(page, "/", "/")));
        english.push(...(await visit(page, "/account", "/account")));
        // A wrong current password: the refusal is French too.
        await page.fill("input[name=currentPassword]", "not-the-password");
        await page.fill("input[name=newPassword]", "a-new-password-long-enough");
        await page.fill("input[name=confirmPassword]", "a-new-password-long-enough");
        await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.click("main button[type=submit]")]);
        await page.waitForSelector(".form-error, .form-ok");
        english.push(...(await englishOn(page, "/account (refused)")));

        // Every tab of the program the reader has, from the program's own navigation.
        await page.goto(`${server.url}/programs/${PROGRAM}`);
        const tabs = await page
          .locator(`a[href^="/programs/${PROGRAM}"]`)
          .evaluateAll((links) => [...new Set(links.map((a) => a.getAttribute("href")!.split("?")[0]))]);
        expect(tabs.length, "program tabs").toBeGreaterThan(5);
        for (const tab of tabs) english.push(...(await visit(page, tab, tab)));
        // Filter notices: a widened window (protected roles) and an ignored filter.
        english.push(...(await visit(page, `/programs/${PROGRAM}/quality?from=2025-03-01&to=2025-03-15`, "quality (window)")));
        english.push(...(await visit(page, `/programs/${PROGRAM}/quality?cohort=2026-13&role=boss`, "quality (bad filters)")));
        // Refusals (403 pages) say why in French: the server sends a code, the page words it.
        if (user !== "demo-admin") english.push(...(await visit(page, "/admin/users", "/admin/users (403)")));
        if (user === "demo-rse" || user === "demo-sponsor") english.push(...(await visit(page, `/programs/${PROGRAM}/attention`, "attention (403)")));
        // Not a page: /programs/octave-demo/nope renders without the root's data, so in English
        // (issue 14 item 7, the broken states); left out of this walk until that is fixed.
        if (user === "demo-admin") {
          for (const path of ADMIN_PAGES) english.push(...(await visit(page, path, path)));
          // The admin pages' answers: a user added (its one-time password), a refused erasure, a backup made.
          await page.goto(`${server.url}/admin/users`);
          const add = page.locator("form:has(input[name=intent][value=add])");
          await add.locator("input[name=username]").fill("nouvelle.rh@example.org");
          await add.locator("select[name=role]").selectOption("hr");
          await add.locator("select[name=orgId]").selectOption({ index: 1 });
          await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), add.locator("button[type=submit]").click()]);
          await page.waitForSelector(".form-ok, .form-error");
          english.push(...(await englishOn(page, "/admin/users (added)")));
          await page.goto(`${server.url}/admin/erasure?programId=${PROGRAM}&participantId=NOBODY&step=confirm`);
          await page.fill("input[name=confirm]", "NOBODY");
          await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.click('button[name=intent][value=erase]')]);
          await page.waitForSelector('[data-testid="erasure-result"]');
          english.push(...(await englishOn(page, "/admin/erasure (refused)")));
          await page.goto(`${server.url}/admin/backups`);
          await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.click('button[name=intent][value=backup]')]);
          await page.waitForSelector('[data-testid="backups-result"]', { timeout: 60_000 });
          english.push(...(await englishOn(page, "/admin/backups (made)")));
        }
        writeFindings(user, english);
        expect(english).toEqual([]);
      } catch (error) {
        await screenshot(page, `french-${user}`);
        throw error;
      } finally {
        await page.close();
      }
    });
  }

  it("a simulation's result and a chart's CSV, in French", async () => {
    const page = await frenchPage();
    try {
      await signIn(page, "demo-admin");
      await page.goto(`${server.url}/programs/${PROGRAM}/simulations`);
      await page.fill('input[name="runs"]', "4");
      await page.fill('input[name="bootstrap"]', "20");
      await Promise.all([page.waitForURL((url) => url.searchParams.has("job")), page.click('button[data-action="start"]')]);
      await page.waitForSelector('[data-result], [data-job-status="failed"]', { timeout: 120_000 });
      const english = await englishOn(page, "simulations (result)");
      const job = new URL(page.url()).searchParams.get("job")!;
      english.push(...(await visit(page, `/programs/${PROGRAM}/simulations?job=${job}&inspect=optimal`, "simulations (pairs)")));
      expect(english).toEqual([]);

      // The simulated pairs' CSV: `;`, decimal comma, byte-order mark.
      const pairs = await page.request.get(`${server.url}/api/programs/${PROGRAM}/simulations/jobs/${job}/pairs.csv?strategy=optimal`);
      const bytes = Buffer.from(await pairs.body());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.subarray(3).toString("utf8").trimEnd().split("\n");
      expect(lines[0]).toBe("mentee_id;mentee_org_id;mentee_generation;mentor_id;mentor_org_id;mentor_generation;age_gap_years;compatibility");
      expect(lines[1]).toMatch(/;\d+,\d+$/);

      // The attention list's CSV: the same dialect (octave-demo is over: its header only).
      const attention = await page.request.get(`${server.url}/programs/${PROGRAM}/attention.csv`);
      const attentionBytes = Buffer.from(await attention.body());
      expect([...attentionBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(attentionBytes.subarray(3).toString("utf8").split("\n")[0]).toMatch(/^category;pair_id;mentor_id;/);

      // A chart's CSV, downloaded as a person would.
      await page.goto(`${server.url}/programs/${PROGRAM}/quality`);
      const figure = page.locator("figure[data-chart]").first();
      await figure.locator("summary").click();
      const [download] = await Promise.all([page.waitForEvent("download"), figure.locator('a[data-download="csv"]').click()]);
      const csv = readFileSync((await download.path())!);
      expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = csv.subarray(3).toString("utf8");
      expect(text.split("\n")[0]).toContain(";");
      expect(text).not.toMatch(/\d\.\d/);
    } catch (error) {
      await screenshot(page, "french-simulations");
      throw error;
    } finally {
      await page.close();
    }
  });
});
