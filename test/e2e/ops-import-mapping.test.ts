/**
 * The web import of files in another layout (issue #17) and the import page's fixes (issue 14
 * item 8), in a real browser: upload → mapping → preview → import, a mistake corrected on the page,
 * a preset saved and proposed for the next files with the same headers; a 40,000-character column
 * name that no longer widens the page; the history and the link to the program right after the
 * import, without a reload; French at 390 px.
 */
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { writeFlatLayout } from "../../seeds/flat-layout.ts";
import { importPageSuite } from "./import-page.ts";

const BASIC = resolve(import.meta.dirname, "../fixtures/exports/basic");

describe("import page: another layout, mapped on the page (browser)", () => {
  const { suite, withAdmin } = importPageSuite("ops-import-mapping");
  let workbook: string;

  beforeAll(() => {
    // The basic fixture (program alpha) as a flat English workbook: one row per pair, and sheets.
    [workbook] = writeFlatLayout(BASIC, suite.dir, "flat-en", "xlsx", "platform");
  });

  const matchedAt = (page: Page) => page.locator("table[data-table=pairs] tr[data-target=matched_at] select");

  it("upload → proposed mapping → a wrong column gives an error in the user's words → fixed → preview → import; saved as a preset", async () => {
    await withAdmin("flow", async (page) => {
      await page.setInputFiles("input[name=files]", workbook);
      await page.click("text=Check the export");
      const step = page.getByTestId("mapping-step");
      await step.waitFor();
      expect(await step.innerText()).toMatch(/shipped layout “flat-en”/);
      // The proposal's preview is valid and shows the first rows as they will be imported.
      await expect.poll(() => step.getAttribute("data-valid")).toBe("yes");
      expect(await page.locator("[data-preview-table=pairs] tbody tr").count()).toBe(2);
      expect(await page.getByTestId("confirm-import").count()).toBe(1);

      // A mistake: the pairs' matched_at from the Status column.
      expect(await matchedAt(page).inputValue()).toBe("Matched on");
      await matchedAt(page).selectOption("Status");
      await page.getByRole("button", { name: "Preview the import" }).click();
      await expect.poll(() => page.getByTestId("mapping-step").getAttribute("data-valid")).toBe("no");
      const problems = await page.getByTestId("problems").locator("tbody tr").allInnerTexts();
      expect(problems.length).toBeGreaterThan(0);
      // Named by the user's workbook, sheet, row and header, not the format's names.
      expect(problems[0]).toContain("platform.xlsx [Pairs]");
      expect(problems[0]).toMatch(/Status/);
      expect(problems[0]).toMatch(/row \d+/);
      expect(await page.getByTestId("confirm-import").count()).toBe(0);

      // Fixed on the page.
      await matchedAt(page).selectOption("Matched on");
      await page.getByRole("button", { name: "Preview the import" }).click();
      await expect.poll(() => page.getByTestId("mapping-step").getAttribute("data-valid")).toBe("yes");
      expect(await page.getByTestId("dry-run-report").locator("[data-program=alpha]").getAttribute("data-action")).toBe("added");
      expect(await page.getByTestId("dry-run-report").locator("tr[data-table=pairs] td").allInnerTexts()).toEqual(["pairs", "0", "2"]);

      // Saved as a preset (admin): proposed for the next files with these headers.
      await page.fill("input[name=presetName]", "our-platform");
      await page.getByRole("button", { name: "Save as preset" }).click();
      await expect.poll(() => page.getByTestId("preset-result").innerText()).toMatch(/Saved as the preset “our-platform”/);

      await page.getByTestId("confirm-import").click();
      const job = page.getByTestId("import-job");
      await expect.poll(() => job.getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
      expect(await job.innerText()).toMatch(/Import finished: the data is imported\./);
      // A link to the program, and the history shows the import without a reload.
      expect(await page.getByTestId("imported-program").getAttribute("href")).toBe("/programs/alpha");
      await expect.poll(() => page.locator("tr[data-status=succeeded]").first().innerText()).toContain("alpha");
    });

    await withAdmin("preset-proposed", async (page) => {
      await page.setInputFiles("input[name=files]", workbook);
      await page.click("text=Check the export");
      const step = page.getByTestId("mapping-step");
      await step.waitFor();
      expect(await step.innerText()).toMatch(/saved preset “our-platform”/);
    });
  });

  it("a native export with a 40,000-character column name: the warning is cut, the page is not widened", async () => {
    // The files themselves (a zip of such a repetitive header would be refused as a zip bomb).
    const folder = mkdtempSync(join(suite.dir, "long-"));
    for (const file of readdirSync(BASIC)) writeFileSync(join(folder, file), readFileSync(join(BASIC, file)));
    const long = "abcdefgh".repeat(5000);
    const meetings = readFileSync(join(BASIC, "meetings.csv"), "utf8").split("\n");
    meetings[0] = `${meetings[0]},${long}`;
    writeFileSync(join(folder, "meetings.csv"), meetings.map((l, i) => (i > 0 && l ? `${l},` : l)).join("\n"));
    const files = readdirSync(folder).map((f) => join(folder, f));
    await withAdmin("long-column", async (page) => {
      await page.setInputFiles("input[name=files]", files);
      await page.getByTestId("upload-submit").click();
      const report = page.getByTestId("dry-run-report");
      await expect.poll(() => report.getAttribute("data-outcome")).toBe("dry_run");
      // The primary action is now "Import now", not the dry run.
      expect(await page.getByTestId("upload-submit").getAttribute("class")).toContain("secondary");
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(1366);
      const warnings = await report.locator("details li").allTextContents();
      expect(warnings.some((w) => w.includes(`unknown column "${long.slice(0, 80)}…" ignored`))).toBe(true);
    });
  });
  it("a malformed CSV set in another layout gets a suggestion; a 40,000-character header is cut and the page stays 390 px wide (French)", async () => {
    const long = "abcdefgh".repeat(5000);
    const csv = join(suite.dir, "suivi.csv");
    writeFileSync(csv, `Matricule;${long};Date de naissance\nE1;x;01/02/1990\n`);
    await withAdmin(
      "narrow-fr",
      async (page) => {
        await suite.browser.addCookies([{ name: "lang", value: "fr", url: suite.server.url }]);
        await page.goto(`${suite.server.url}/admin/imports`);
        await page.setInputFiles("input[name=files]", csv);
        await page.click("text=Vérifier sans importer");
        const step = page.getByTestId("mapping-step");
        await step.waitFor();
        expect(await step.innerText()).toMatch(/Une correspondance a été proposée/);
        // The import page's own content (the header is another item of issue 14) fits in 390 px.
        const box = await page.evaluate(() => {
          const section = document.querySelector(".imports-page")!;
          return { right: section.getBoundingClientRect().right, scroll: section.scrollWidth, client: section.clientWidth };
        });
        expect(box.right).toBeLessThanOrEqual(390);
        expect(box.scroll).toBeLessThanOrEqual(box.client);
        expect(await page.content()).not.toContain(long.slice(0, 200));
      },
      { width: 390, height: 844 },
    );
  });

});
