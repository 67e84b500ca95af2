import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { parseCsvLine, useDemoBrowser } from "./demo-browser.ts";

// The matching simulation page in a real browser: run strategies with visible progress, compare
// them (table, chart with intervals), the recorded strategy equals the report, a CSV download
// equals the loader's data, inspect a strategy's pairs (admin; HR for its organization only;
// never CSR), keep a run and read it back, on both demo programs; a job is its owner's.
// A loaded machine (several servers and browsers at once) makes the first page of a file slow.
describe("dashboards: matching simulations (browser)", { timeout: 150_000 }, () => {
  const app = useDemoBrowser("simulations", "routes/programs.$programId.simulations");
  const { asUser, loaderData } = app;
  let jobId = "";
  let runId = "";

  /** Fills the form and runs a simulation; returns when the result is on the page. */
  async function simulate(page: Page, programId: string, strategies: string[], runs: number): Promise<void> {
    await page.goto(`${app.server.url}/programs/${programId}/simulations`);
    for (const box of await page.locator('input[name="strategy"]').all()) {
      const value = await box.getAttribute("value");
      if (strategies.includes(value!)) await box.check();
      else await box.uncheck();
    }
    await page.fill('input[name="runs"]', String(runs));
    await page.fill('input[name="bootstrap"]', "20");
    await Promise.all([page.waitForURL((url) => url.searchParams.has("job")), page.click('button[data-action="start"]')]);
    await page.waitForSelector('[data-result], [data-job-status="failed"]', { timeout: 100_000 });
    const failed = page.locator('[data-job-status="failed"]');
    if (await failed.count()) throw new Error(`the simulation failed: ${await failed.textContent()}`);
  }

  it("octave-demo: runs with progress, compares strategies with intervals, equals the report for recorded", async () => {
    await asUser("demo-admin", "octave", async (page) => {
      await page.goto(`${app.server.url}/programs/octave-demo/simulations`);
      expect(await page.locator('[data-empty="runs"]').count()).toBe(1);
      await simulate(page, "octave-demo", ["recorded", "random", "optimal", "stable", "reach"], 8);
      jobId = new URL(page.url()).searchParams.get("job")!;
      const progress = await page.request.get(`${app.server.url}/api/programs/octave-demo/simulations/jobs/${jobId}`);
      expect(await progress.json()).toMatchObject({ status: "done", run_id: null });
      expect(await page.locator('[data-table="comparison"] tbody tr').count()).toBe(5);
      expect(await page.locator('figure[data-chart="simulations-success"] svg g[aria-label="dot"] circle title').count()).toBe(5);
      expect(await page.locator('figure[data-chart="simulations-success"] svg g[aria-label="rule"] line').count()).toBe(5);
      expect(await page.locator('figure[data-chart="simulations-reach"] svg g[aria-label="bar"] rect').count()).toBe(15);
      const data = (await loaderData(page)) as { view: { comparison: Record<string, unknown>[] } };
      const report = await (await page.request.get(`${app.server.url}/api/programs/octave-demo/report.json`)).json();
      const recorded = data.view.comparison.find((r) => r.strategy === "recorded")!;
      expect(recorded.cross_generation_rate).toBeCloseTo(report.generations.cross_generation_pair_rate, 12);
      expect(recorded.median_age_gap_years).toBe(report.generations.median_age_gap_years);
      expect(recorded.pairs).toBe(report.pairs.total);

      await page.locator('figure[data-chart="simulations-success"] summary').click();
      const [download] = await Promise.all([page.waitForEvent("download"), page.click('figure[data-chart="simulations-success"] a[data-download="csv"]')]);
      const lines = readFileSync((await download.path())!, "utf8").trim().split("\n");
      const header = lines[0].split(",");
      expect(header).toEqual(["strategy", "predicted_success", "predicted_success_low", "predicted_success_high"]);
      const rows = lines.slice(1).map(parseCsvLine);
      expect(rows.length).toBe(5);
      rows.forEach((cells, i) => expect(cells).toEqual(header.map((key) => (data.view.comparison[i][key] === null ? "" : String(data.view.comparison[i][key])))));
    });
  }, 150_000);

  it("says who wins and at what price, marks the best values, defines the columns, shows the model's effects, fits 1,366 px", async () => {
    await asUser("demo-admin", "verdict", async (page) => {
      await page.setViewportSize({ width: 1366, height: 900 });
      await page.goto(`${app.server.url}/programs/octave-demo/simulations?job=${jobId}`);
      await page.waitForSelector("[data-verdict]");
      // The filters do not apply to a simulation: no filters bar.
      expect(await page.locator('form[data-testid="filters"], .filters-bar').count()).toBe(0);
      const data = (await loaderData(page)) as { view: { verdict: { kind: string; best: string; gain: number; low: number; high: number; self_graded: boolean }; comparison: Record<string, number | string | null>[] } };
      const { verdict } = data.view;
      expect(verdict.kind).toBe("winner");
      expect(verdict.low).toBeGreaterThan(0);
      // The winner has the most expected successful pairs, and its gain is the difference with the recorded pairs.
      const rows = data.view.comparison;
      const expected = (s: string) => rows.find((r) => r.strategy === s)!.expected_successes as number;
      expect(Math.max(...rows.map((r) => r.expected_successes as number))).toBe(expected(verdict.best));
      expect(verdict.gain).toBeCloseTo(expected(verdict.best) - expected("recorded"), 9);
      const sentence = (await page.textContent("[data-verdict]"))!;
      expect(sentence).toContain(`+${verdict.gain.toFixed(1)} successful pairs over the pairs actually formed`);
      expect(verdict.self_graded).toBe(true);
      expect(await page.locator('[data-self-graded="true"]').count()).toBe(1);
      // Best value per column: the winner's expected successes, the fewest blocking pairs.
      const best = (col: string) => page.locator(`[data-table="comparison"] tbody tr:has(td[data-col="${col}"][data-best="true"])`).evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-strategy")));
      expect(await best("expected_successes")).toEqual([verdict.best]);
      const fewestBlocking = Math.min(...rows.map((r) => r.blocking_pairs as number));
      expect(await best("blocking_pairs")).toEqual(rows.filter((r) => r.blocking_pairs === fewestBlocking).map((r) => r.strategy));
      expect(await page.locator('[data-table="comparison"] td[data-col="blocking_pairs"]').allTextContents()).toEqual(
        rows.map((r) => `${r.blocking_pairs === fewestBlocking ? "★ " : ""}${Math.round(r.blocking_pairs as number).toLocaleString("en")}${r.blocking_pairs === fewestBlocking ? " (best)" : ""}`),
      );
      expect(await page.locator("[data-definitions] dt").count()).toBeGreaterThanOrEqual(10);
      expect(await page.locator("[data-model-effects] tbody tr").count()).toBe(6);
      // The comparison table, its inspect links included, fits the page at 1,366 px.
      const [scroll, client] = await page.locator('[data-table="comparison"]').evaluate((t) => [t.scrollWidth, t.parentElement!.clientWidth]);
      expect(scroll).toBeLessThanOrEqual(client);
      expect(await page.locator('[data-table="comparison"] [data-inspect]').count()).toBe(5);
    });
  });

  it("admin inspects a strategy's pairs and keeps the run", async () => {
    await asUser("demo-admin", "keep", async (page) => {
      await page.goto(`${app.server.url}/programs/octave-demo/simulations?job=${jobId}`);
      await Promise.all([page.waitForURL((url) => url.searchParams.get("inspect") === "optimal"), page.click('a[data-inspect="optimal"]')]);
      await page.waitForSelector('[data-table="pairs"]');
      expect(await page.locator('[data-table="pairs"] tbody tr').count()).toBe(50);
      // The pairs' CSV comes from a resource route (audited) and holds the pairs on the page.
      const [download] = await Promise.all([page.waitForEvent("download"), page.click('a[data-download="pairs-csv"]')]);
      const lines = readFileSync((await download.path())!, "utf8").trim().split("\n");
      expect(lines[0]).toBe("mentee_id,mentee_org_id,mentee_generation,mentor_id,mentor_org_id,mentor_generation,age_gap_years,compatibility");
      expect(lines.length).toBe(51);
      const firstRow = await page.locator('[data-table="pairs"] tbody tr').first().locator("td").first().textContent();
      expect(lines[1].split(",")[0]).toBe(firstRow);
      await Promise.all([page.waitForURL((url) => url.searchParams.has("run")), page.click('button[data-action="keep"]')]);
      runId = new URL(page.url()).searchParams.get("run")!;
      await page.waitForSelector(`[data-table="runs"] tr[data-run-id="${runId}"]`);
      expect(await page.locator(`[data-table="runs"] tr[data-run-id="${runId}"]`).count()).toBe(1);
      expect(await page.locator('[data-table="comparison"] tbody tr').count()).toBe(5);
    });
  });

  it("HR re-creates a kept run's pairs and sees only its organization's", async () => {
    await asUser("demo-hr", "hr", async (page) => {
      await page.goto(`${app.server.url}/programs/octave-demo/simulations?run=${runId}`);
      expect(await page.locator('[data-table="comparison"] tbody tr').count()).toBe(5);
      await Promise.all([page.waitForURL((url) => url.searchParams.get("inspect") === "reach"), page.click('button[data-inspect="reach"]')]);
      await page.waitForSelector('[data-table="pairs"]', { timeout: 60_000 });
      const orgs = await page.locator('[data-table="pairs"] tbody tr').evaluateAll((rows) =>
        rows.map((r) => [r.children[1].textContent, r.children[4].textContent]),
      );
      expect(orgs.length).toBeGreaterThan(0);
      expect(orgs.length).toBeLessThan(50);
      for (const [menteeOrg, mentorOrg] of orgs) expect(menteeOrg === "BEAUMANOIR" || mentorOrg === "BEAUMANOIR").toBe(true);
    });
  });

  it("CSR compares strategies in a kept run but never sees individual pairs nor another's job; a sponsor only reads", async () => {
    await asUser("demo-rse", "rse", async (page) => {
      // The admin's job is not the CSR's: it does not exist for them (decision 0012).
      const foreign = await page.goto(`${app.server.url}/programs/octave-demo/simulations?job=${jobId}&inspect=optimal`);
      expect(foreign?.status()).toBe(404);
      expect(await page.locator('[data-table="comparison"]').count()).toBe(0);
      expect(await page.locator('[data-testid="simulation-form"]').count()).toBe(0);
      await page.goto(`${app.server.url}/programs/octave-demo/simulations?run=${runId}&inspect=optimal`);
      await page.waitForSelector('[data-table="comparison"]');
      expect(await page.locator('[data-table="comparison"] tbody tr').count()).toBe(5);
      expect(await page.locator("[data-inspect]").count()).toBe(0);
      expect(await page.locator('[data-table="pairs"]').count()).toBe(0);
      const data = (await loaderData(page)) as { pairs: unknown; view: { fairness: { suppressed: boolean; mentees: number | null }[] } };
      expect(data.pairs).toBeNull();
      const csv = await page.request.get(`${app.server.url}/api/programs/octave-demo/simulations/jobs/${jobId}/pairs.csv?strategy=optimal`);
      expect(csv.status()).toBe(403);
      // No headcount per group for a protected reader, in the page data or the table (docs/privacy.md).
      expect(data.view.fairness.every((row) => row.mentees === null)).toBe(true);
      expect(await page.locator('figure[data-chart="simulations-fairness"] th').allTextContents()).not.toContain("Mentees");
      // Hidden fairness groups are said to be hidden, not left blank.
      expect(data.view.fairness.some((row) => row.suppressed)).toBe(true);
      expect(await page.locator('figure[data-chart="simulations-fairness"]').textContent()).toContain("Groups of fewer than 5 mentees are hidden");
    });
    await asUser("demo-sponsor", "sponsor", async (page) => {
      await page.goto(`${app.server.url}/programs/octave-demo/simulations?run=${runId}`);
      expect(await page.locator('[data-testid="simulation-form"]').count()).toBe(0);
      expect(await page.locator('[data-table="comparison"] tbody tr').count()).toBe(5);
      expect(await page.content()).not.toContain("Orvéa Télécom");
    });
  });

  it("large-demo: a run renders its comparison with marks", async () => {
    await asUser("demo-admin", "large", async (page) => {
      await simulate(page, "large-demo", ["recorded", "optimal", "random"], 2);
      expect(await page.locator('[data-table="comparison"] tbody tr').count()).toBe(3);
      expect(await page.locator('figure[data-chart="simulations-success"] svg g[aria-label="dot"] circle').count()).toBe(3);
      expect(await page.locator('figure[data-chart="simulations-fairness"] svg g[aria-label="bar"] rect').count()).toBeGreaterThan(3);
    });
  });
});
