import { readFileSync, readdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { zipSync } from "fflate";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../support/server-process.ts";
import { launchBrowser, screenshot, signIn } from "./browser.ts";

const BASIC = resolve(import.meta.dirname, "../fixtures/exports/basic");

/** The basic fixture export as a zip, with some files changed. */
function basicZip(dir: string, name: string, changes: Record<string, string> = {}): string {
  const entries: Record<string, Uint8Array> = {};
  for (const file of readdirSync(BASIC)) entries[`export/${file}`] = new Uint8Array(readFileSync(join(BASIC, file)));
  for (const [file, text] of Object.entries(changes)) entries[`export/${file}`] = new TextEncoder().encode(text);
  const path = join(dir, name);
  writeFileSync(path, zipSync(entries));
  return path;
}

// An administrator imports through the web page: dry-run report, confirm, history.
describe("import page (browser)", () => {
  let dir: string;
  let server: RunningServer;
  let browser: BrowserContext;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "binome-e2e-import-"));
    server = await startServer({
      BINOME_DB: join(dir, "binome.duckdb"),
      BINOME_DEMO: "1",
      BINOME_UPLOAD_DIR: join(dir, "uploads"),
      // A small limit so that "too large" needs only a 2 MB file.
      BINOME_UPLOAD_MAX_MB: "1",
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function withAdmin(name: string, fn: (page: Page) => Promise<void>) {
    await browser.clearCookies();
    const page = await browser.newPage();
    try {
      await signIn(page, server.url, "demo-admin", "binome-demo-admin");
      await page.goto(`${server.url}/admin/imports`);
      await fn(page);
    } catch (error) {
      await screenshot(page, `ops-import-${name}`);
      throw error;
    } finally {
      await page.close();
    }
  }

  const programIds = async (page: Page) => {
    await page.goto(`${server.url}/`);
    return page.locator("tr[data-program-id]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-program-id")).sort());
  };

  it("a broken export shows every problem with file, line, column and value, and changes nothing", async () => {
    await withAdmin("broken", async (page) => {
      const participants = readFileSync(join(BASIC, "participants.csv"), "utf8").replace("P2,alpha,ORG1,mentee,1998", "P2,alpha,ORG1,mentee,1898");
      await page.setInputFiles("input[name=files]", basicZip(dir, "broken.zip", { "participants.csv": participants }));
      await page.click("text=Check the export");
      const report = page.getByTestId("dry-run-report");
      await expect.poll(() => report.getAttribute("data-outcome")).toBe("invalid");
      const problems = await page.getByTestId("problems").locator("tbody tr").allInnerTexts();
      expect(problems.some((p) => p.includes("participants.csv") && p.includes("3") && p.includes("birth_year") && p.includes("1898"))).toBe(true);
      expect(await page.getByRole("button", { name: "Import now" }).count()).toBe(0);
      expect(await programIds(page)).toEqual(["large-demo", "octave-demo"]);
    });
  });

  it("an oversized upload is refused clearly", async () => {
    await withAdmin("oversized", async (page) => {
      const big = join(dir, "participants.csv");
      writeFileSync(big, "x".repeat(2 * 1024 * 1024));
      await page.setInputFiles("input[name=files]", big);
      await page.click("text=Check the export");
      const refusal = page.getByTestId("upload-refused");
      await refusal.waitFor();
      expect(await refusal.innerText()).toMatch(/limit is 1 MB per upload/);
      expect(await programIds(page)).toEqual(["large-demo", "octave-demo"]);
    });
  });

  it("a zip with a path outside the export is refused", async () => {
    await withAdmin("traversal", async (page) => {
      const path = join(dir, "evil.zip");
      writeFileSync(path, zipSync({ "../programs.csv": new TextEncoder().encode("program_id\n") }));
      await page.setInputFiles("input[name=files]", path);
      await page.click("text=Check the export");
      await page.getByTestId("upload-refused").waitFor();
      expect(await page.getByTestId("upload-refused").innerText()).toMatch(/outside the export/);
    });
  });

  it("a good export: dry run, confirm, and the program appears; the history shows the import", async () => {
    await withAdmin("good", async (page) => {
      await page.setInputFiles("input[name=files]", basicZip(dir, "good.zip"));
      await page.click("text=Check the export");
      const report = page.getByTestId("dry-run-report");
      await expect.poll(() => report.getAttribute("data-outcome")).toBe("dry_run");
      expect(await report.locator("[data-program=alpha]").getAttribute("data-action")).toBe("added");
      expect(await report.locator("tr[data-table=pairs] td").allInnerTexts()).toEqual(["pairs", "0", "2"]);
      await page.click("text=Import now");
      const job = page.getByTestId("import-job");
      await expect.poll(() => job.getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
      expect(await job.innerText()).toMatch(/imported/);
      await page.reload();
      const row = page.locator("tr[data-status=succeeded]").first();
      expect(await row.innerText()).toContain("alpha");
      expect(await programIds(page)).toEqual(["alpha", "large-demo", "octave-demo"]);
    });
  });

  it("deleting a program needs its id typed; the deletion and then the import can be undone", async () => {
    await withAdmin("delete-undo", async (page) => {
      await page.goto(`${server.url}/admin/programs`);
      await page.locator("tr[data-program-id=alpha]").getByText("Delete…").click();
      const confirm = page.getByTestId("confirm-delete");
      await confirm.locator("input[name=confirm]").fill("wrong");
      await confirm.getByRole("button", { name: "Delete the program" }).click();
      await expect.poll(() => page.getByTestId("programs-result").innerText()).toMatch(/Type the program id/);
      await confirm.locator("input[name=confirm]").fill("alpha");
      await confirm.getByRole("button", { name: "Delete the program" }).click();
      await expect.poll(() => page.getByTestId("programs-result").innerText()).toMatch(/Deleted alpha/);
      expect(await programIds(page)).toEqual(["large-demo", "octave-demo"]);
      await page.goto(`${server.url}/admin/programs`);
      await page.locator("[data-deleted-program=alpha]").getByRole("button", { name: "Restore" }).click();
      await expect.poll(() => page.getByTestId("programs-result").innerText()).toMatch(/alpha is back/);
      expect(await programIds(page)).toEqual(["alpha", "large-demo", "octave-demo"]);
      // The snapshot left is the one taken before the import that added alpha: undoing it removes alpha.
      await page.goto(`${server.url}/admin/programs`);
      await page.locator("tr[data-program-id=alpha]").getByRole("button", { name: /Undo the import/ }).click();
      await expect.poll(() => page.getByTestId("programs-result").innerText()).toMatch(/program is gone/);
      expect(await programIds(page)).toEqual(["large-demo", "octave-demo"]);
    });
  });

  it("a participant's data: JSON export, then erasure after typing the id again", async () => {
    await withAdmin("erasure", async (page) => {
      // Import alpha again (its earlier import was undone, so this is a real import).
      await page.setInputFiles("input[name=files]", basicZip(dir, "again.zip"));
      await page.click("text=Check the export");
      await page.click("text=Import now");
      await expect.poll(() => page.getByTestId("import-job").getAttribute("data-state"), { timeout: 30_000 }).toBe("done");

      const exported = await page.request.get(`${server.url}/api/admin/participant-export?programId=alpha&participantId=P2`);
      expect(exported.status()).toBe(200);
      expect(await exported.json()).toMatchObject({ participant: { participant_id: "P2", program_id: "alpha" }, pairs: [{ pair_id: "B1" }] });

      await page.goto(`${server.url}/admin/erasure`);
      const find = page.getByTestId("find-participant");
      await find.locator("select[name=programId]").selectOption("alpha");
      await find.locator("input[name=participantId]").fill("P2");
      await find.getByRole("button", { name: "Erase…" }).click();
      const confirm = page.getByTestId("confirm-erasure");
      await confirm.locator("input[name=confirm]").fill("P2");
      await confirm.getByRole("button", { name: "Erase for good" }).click();
      await expect.poll(() => page.getByTestId("erasure-result").innerText()).toMatch(/Erased: \d+ rows removed/);
      // The server then rebuilds its file; the page follows it and says when it is complete.
      await expect.poll(() => page.getByTestId("erasure-complete").count(), { timeout: 30_000 }).toBe(1);
      expect(await page.getByTestId("erasure-complete").innerText()).toMatch(/Erasure complete: the database file was rebuilt at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
      expect(await page.getByTestId("rebuild-pending").count()).toBe(0);
      const gone = await page.request.get(`${server.url}/api/admin/participant-export?programId=alpha&participantId=P2`);
      expect(gone.status()).toBe(404);
    });
  });
});
