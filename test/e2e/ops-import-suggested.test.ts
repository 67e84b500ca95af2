/**
 * The web import of a layout Binôme has no preset for (issue #17, "Done when"), in a real browser:
 * the third layout kept as a test fixture (test/fixtures/layouts, the one the suggested-mapping
 * unit tests use) is uploaded → the page shows a suggested mapping → its preview names the value
 * the suggestion could not map, in the user's sheet, row and header → the value map is corrected
 * on the page → preview → an edit after the preview takes "Import now" away until the mapping is
 * previewed again → import → the program's report shows the imported figures.
 */
import { resolve } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { writeFlatLayout } from "../../seeds/flat-layout.ts";
import { THIRD_LAYOUT } from "../fixtures/layouts/third-layout.ts";
import { importPageSuite } from "./import-page.ts";

const BASIC = resolve(import.meta.dirname, "../fixtures/exports/basic");

describe("import page: a suggested mapping corrected on the page (browser)", () => {
  const { suite, withAdmin } = importPageSuite("ops-import-suggested");
  let workbook: string;

  beforeAll(() => {
    // The basic fixture (program alpha: 4 people, 2 pairs) in the third layout, whose platform
    // spells the third gender "Diverse": a code no synonym of the suggestion knows, so the
    // operator has to complete the value map on the page.
    const layout = { ...THIRD_LAYOUT, values: { ...THIRD_LAYOUT.values, gender: { F: "W", M: "M", X: "Diverse" } } };
    [workbook] = writeFlatLayout(BASIC, suite.dir, layout, "xlsx", "platform-export");
  });

  /** The value-map field of participants.gender in the part for one side of the pair (0 mentor, 1 mentee). */
  const genderMap = (page: Page, part: number) => page.locator(`table[data-table=participants][data-part="${part}"] tr[data-target=gender] input`);
  const step = (page: Page) => page.getByTestId("mapping-step");
  const preview = async (page: Page) => {
    await page.getByRole("button", { name: "Preview the import" }).click();
    await expect.poll(() => page.getByTestId("mapping-step").getAttribute("data-changed")).toBe("no");
  };

  it("upload → suggestion → an unmapped value named → corrected on the page → preview → edit (no import until previewed again) → import → the report's figures", async () => {
    await withAdmin("flow", async (page) => {
      await page.setInputFiles("input[name=files]", workbook);
      await page.click("text=Check the export");
      await step(page).waitFor();
      // No preset fits: the mapping is a suggestion from the headers and values.
      expect(await step(page).innerText()).toMatch(/A mapping was suggested from their headers and values/);
      expect(await page.locator("table[data-table=pairs] tr[data-target=pair_id] select").inputValue()).toBe("Match ID");
      expect(await page.locator("table[data-table=participants][data-part=\"1\"] tr[data-target=participant_id] select").inputValue()).toBe("Mentee - Staff ID");

      // The suggestion mapped the codes it knows (W → F) but not "Diverse": the preview says so in the user's words.
      expect(await genderMap(page, 0).inputValue()).toBe("W=F");
      expect(await step(page).getAttribute("data-valid")).toBe("no");
      const problems = await page.getByTestId("problems").locator("tbody tr").allInnerTexts();
      expect(problems.length).toBe(1);
      expect(problems[0]).toContain("platform-export.xlsx [Matches]");
      expect(problems[0]).toContain("Mentor - Sex");
      expect(problems[0]).toContain("Diverse");
      expect(problems[0]).toMatch(/row 3/);
      expect(await page.getByTestId("confirm-import").count()).toBe(0);

      // Corrected on the page: the mentors' value map completed, then previewed.
      await genderMap(page, 0).fill("W=F; M=M; Diverse=X");
      await genderMap(page, 0).press("Tab");
      await preview(page);
      expect(await step(page).getAttribute("data-valid")).toBe("yes");
      expect(await page.getByTestId("dry-run-report").locator("[data-program=alpha]").getAttribute("data-action")).toBe("added");
      expect(await page.getByTestId("dry-run-report").locator("tr[data-table=participants] td").allInnerTexts()).toEqual(["participants", "0", "4"]);
      expect(await page.getByTestId("confirm-import").count()).toBe(1);
      expect(await page.getByTestId("mapping-changed").count()).toBe(0);

      // An edit after the preview (the mentees' codes, which the suggestion left unmapped as it saw only M):
      // "Import now" goes until the mapping is previewed again, since it would import the previewed one.
      expect(await genderMap(page, 1).inputValue()).toBe("");
      await genderMap(page, 1).fill("W=F; M=M; Diverse=X");
      await genderMap(page, 1).press("Tab");
      await expect.poll(() => step(page).getAttribute("data-changed")).toBe("yes");
      expect(await page.getByTestId("confirm-import").count()).toBe(0);
      expect(await page.getByTestId("mapping-changed").innerText()).toBe("The mapping changed since the preview: preview again before importing.");
      await preview(page);
      expect(await step(page).getAttribute("data-valid")).toBe("yes");
      expect(await page.getByTestId("mapping-changed").count()).toBe(0);
      // The page shows the mapping it previewed: the mentees' map as edited.
      expect(await genderMap(page, 1).inputValue()).toBe("W=F; M=M; Diverse=X");

      await page.getByTestId("confirm-import").click();
      const job = page.getByTestId("import-job");
      await expect.poll(() => job.getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
      expect(await job.innerText()).toMatch(/Import finished: the data is imported\./);
      expect(await page.getByTestId("imported-program").getAttribute("href")).toBe("/programs/alpha");

      // The program's report: the figures of the basic export, the "Diverse" mentor counted as X.
      await page.getByTestId("imported-program").click();
      await page.waitForURL(/\/programs\/alpha$/);
      const report = await (await page.request.get(`${suite.server.url}/api/programs/alpha/report.json`)).json();
      expect(report.participants.total).toBe(4);
      expect(report.pairs.total).toBe(2);
      expect(report.pairs.active).toBe(1);
      const genders = Object.fromEntries((report.breakdowns.by_gender as { group: string; participants: number }[]).map((r) => [r.group, r.participants]));
      expect(genders).toMatchObject({ F: 1, M: 1, X: 1 });
      expect(await page.locator("[data-tile=participants]").getAttribute("data-value")).toBe("4");
      expect(await page.locator("[data-tile=pairs]").getAttribute("data-value")).toBe("2");
    });
  });
});
