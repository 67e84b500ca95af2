import { chromium } from "playwright-core";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
for (const [w, lang] of [[1366, "en"], [390, "fr"]] as const) {
  const ctx = await browser.newContext({ viewport: { width: w, height: 900 } });
  const page = await ctx.newPage();
  await page.goto("http://localhost:3411/login");
  await page.fill('input[name="username"]', "demo-rse");
  await page.fill('input[name="password"]', "binome-demo-rse");
  await page.click('button[type="submit"]');
  await page.waitForURL("http://localhost:3411/");
  if (lang === "fr") await page.goto("http://localhost:3411/lang?lang=fr&redirectTo=/").catch(() => {});
  await page.goto("http://localhost:3411/programs/octave-demo/quality?from=2025-10-01&to=2025-10-07&role=mentee&generation=boomers");
  await page.screenshot({ path: `/tmp/shot/quality-${w}.png`, fullPage: false });
  await page.goto("http://localhost:3411/programs/octave-demo/costs");
  await page.screenshot({ path: `/tmp/shot/costs-${w}.png`, fullPage: false });
}
await browser.close();
