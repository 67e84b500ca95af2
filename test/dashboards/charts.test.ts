import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { rowsToCsv } from "../../app/components/ChartFigure.tsx";
import { barXChart } from "../../app/components/charts/bar-x.ts";
import { groupedBarsChart } from "../../app/components/charts/grouped-bars.ts";
import { impactEffectsChart } from "../../app/components/charts/impact-curves.ts";
import { monthSeriesChart } from "../../app/components/charts/month-series.ts";
import { PHONE_WIDTH, markName, renderChart } from "../../app/components/charts/render.server.ts";
import { sparklineChart } from "../../app/components/charts/sparkline.ts";

/** The plot's own `<svg>` in a rendered chart (the last one: a legend's swatches come first), what the SVG download serializes. */
const plotSvg = (html: string) => html.slice(html.lastIndexOf("<svg"));

const count = (svg: string, tag: string) => (svg.match(new RegExp(`<${tag}[\\s>]`, "g")) ?? []).length;

describe("the marks' accessible names follow the reader's language", () => {
  const charts = (locale: "en" | "fr") => [
    renderChart(barXChart, [{ label: "Alpha", value: 3 }, { label: "Beta", value: null, hidden: true }], { width: 500, locale })!,
    renderChart(groupedBarsChart, [{ x: "2", series: "Final", value: 4 }, { x: "4", series: "Mid-point", value: 8 }], { width: 500, locale })!,
    renderChart(monthSeriesChart, [{ month: "2026-01", series: "Final", value: 3.5 }, { month: "2026-02", series: "Final", value: 4 }], { width: 600, locale })!,
    renderChart(sparklineChart, [{ month: "2026-01", value: 3 }, { month: "2026-02", value: 5 }], { width: 180, locale })!,
  ];
  const groups = (html: string) => [...parseHTML(`<div>${html}</div>`).document.querySelectorAll("svg g[aria-label]")];

  it("French: no mark keeps Plot's English name; the identifier stays in data-mark", () => {
    const english = charts("en").flatMap((c) => groups(c.html));
    const french = charts("fr").flatMap((c) => groups(c.html));
    expect(french.length).toBe(english.length);
    expect(french.length).toBeGreaterThan(8);
    french.forEach((g, i) => {
      const mark = english[i].getAttribute("aria-label")!;
      expect(g.getAttribute("data-mark")).toBe(mark);
      expect(g.getAttribute("aria-label"), mark).not.toBe(mark);
    });
    const names = new Set(french.map((g) => g.getAttribute("aria-label")));
    expect(names).toContain("barres");
    expect(names).toContain("valeurs de l'axe x");
    expect(names).toContain("courbe");
  });

  it("a chart rendered with a phone width carries a second drawing that wide, with the same marks; without one, none", () => {
    const rows = [
      { outcome: "Retention at 12 months", kind: "Effect on participants (adjusted)", value: 0.05, low: 0.01, high: 0.09 },
      { outcome: "Retention at 12 months", kind: "Naive difference", value: 0.09, low: null, high: null },
    ];
    const both = renderChart(impactEffectsChart, rows, { width: 640, phoneWidth: PHONE_WIDTH, locale: "en" })!;
    const svgWidth = (html: string) => [...parseHTML(`<div>${html}</div>`).document.querySelectorAll("svg")].map((s) => Number(s.getAttribute("width"))).filter((w) => w > 0);
    expect(Math.max(...svgWidth(both.html))).toBe(640);
    expect(Math.max(...svgWidth(both.phone!))).toBe(PHONE_WIDTH);
    for (const html of [both.html, both.phone!]) {
      const doc = parseHTML(`<div>${html}</div>`).document;
      expect(doc.querySelectorAll('g[data-mark="dot"] circle').length).toBe(2);
      // Each row's whole name is written above it (no left margin of cut labels).
      expect([...doc.querySelectorAll('g[data-mark="text"] text')].map((t) => t.textContent)).toEqual(rows.map((r) => `${r.outcome} · ${r.kind}`));
    }
    expect(renderChart(impactEffectsChart, rows, { width: 640, locale: "en" })!.phone).toBeUndefined();
    // A chart already narrower than a phone's is not drawn twice.
    expect(renderChart(impactEffectsChart, rows, { width: 300, phoneWidth: PHONE_WIDTH, locale: "en" })!.phone).toBeUndefined();
  });

  it("an impact effect's tooltip gives its interval in the reader's language", () => {
    const rows = [{ outcome: "Promotion", kind: "Effet (ajusté)", value: 0.069, low: -0.012, high: 0.151 }];
    const fr = renderChart(impactEffectsChart, rows, { width: 600, locale: "fr" })!;
    // French: a narrow no-break space before the colon; a true minus (U+2212), a no-break space before "pts".
    expect(fr.html).toContain("<title>Promotion · Effet (ajusté)\u202f: +6,9&#160;pts (de \u22121,2&#160;pts à +15,1&#160;pts)</title>");
    const en = renderChart(impactEffectsChart, [{ ...rows[0], kind: "Effect (adjusted)" }], { width: 600, locale: "en" })!;
    expect(en.html).toContain("<title>Promotion · Effect (adjusted): +6.9&#160;pts (\u22121.2&#160;pts to +15.1&#160;pts)</title>");
    // No "+0 pts" on the axis: zero has no sign.
    const ticks = [...parseHTML(`<div>${en.html}</div>`).document.querySelectorAll('g[data-mark="x-axis tick label"] text')].map((t) => t.textContent);
    expect(ticks).toContain("0\u00a0pts");
    expect(ticks.filter((t) => /^[-+]0\u00a0/.test(t ?? ""))).toEqual([]);
  });

  it("English: Plot's names, unchanged, and the same in data-mark", () => {
    for (const g of charts("en").flatMap((c) => groups(c.html))) expect(g.getAttribute("aria-label")).toBe(g.getAttribute("data-mark"));
    expect(markName("en", "y-axis tick label")).toBe("y-axis tick label");
    expect(markName("fr", "fy-grid")).toBe("grille de l'axe fy");
    expect(markName("fr", "x-axis label")).toBe("titre de l'axe x");
    expect(markName("fr", "something new")).toBe("something new");
  });
});

describe("chart functions rendered on the server", () => {
  it("draws one bar per known value, with tooltips, and skips hidden values", () => {
    const out = renderChart(barXChart, [{ label: "Alpha", value: 3 }, { label: "Beta", value: null }, { label: "Gamma", value: 5 }], { width: 500, locale: "en" })!;
    expect(plotSvg(out.html).startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const { document } = parseHTML(`<div>${out.html}</div>`);
    expect(document.querySelectorAll('g[aria-label="bar"] rect').length).toBe(2);
    expect([...document.querySelectorAll("rect title")].map((t) => t.textContent)).toEqual(["Alpha: 3", "Gamma: 5"]);
    expect(out.html).toContain(">Beta<"); // the label stays on the axis
  });

  it("draws a hidden figure as a labelled hatched stub, in the reader's language, never as a bare gap", () => {
    const en = renderChart(barXChart, [{ label: "Alpha", value: 3 }, { label: "Beta", value: null, hidden: true }, { label: "Gamma", value: null }], { width: 500, locale: "en" })!;
    const { document } = parseHTML(`<div>${en.html}</div>`);
    expect(document.querySelectorAll('g[aria-label="bar"] rect').length).toBe(1);
    // Text marks hold their tooltip as a <title> child.
    const labels = [...document.querySelectorAll('g[aria-label="text"] text')].map((t) => t.firstChild?.textContent);
    expect(labels.filter((l) => l === "▨ hidden").length).toBe(1); // Beta: hidden; Gamma (not computable) gets no label
    expect(en.html).toContain("<title>Beta: hidden</title>");
    const fr = renderChart(groupedBarsChart, [{ x: "2", series: "Final", value: null, hidden: true }, { x: "4", series: "Final", value: 8 }], { width: 500, locale: "fr" })!;
    expect(fr.html).toContain("▨ masqué");
    expect(fr.html).toContain("<title>2 · Final\u202f: masqué</title>");
    // Only zeros left shown: a bar of 0 stays flat instead of filling a degenerate [0, 0] axis.
    const zeros = renderChart(groupedBarsChart, [{ x: "1", series: "Final", value: 0 }, { x: "2", series: "Final", value: null, hidden: true }], { width: 500, locale: "en" })!;
    const bar = parseHTML(`<div>${zeros.html}</div>`).document.querySelector('g[aria-label="bar"] rect')!;
    expect(Number(bar.getAttribute("height") ?? "0")).toBeLessThan(1);
  });

  it("formats percent axes for the locale", () => {
    const out = renderChart(barXChart, [{ label: "a", value: 0.5 }], { width: 400, locale: "fr", percent: true })!;
    expect(out.html).toContain("a\u202f: 50&#160;%");
  });

  it("draws a monthly series as a line and dots, with a legend when there are several series", () => {
    const data = [
      { month: "2026-01", series: "Mid-point", value: 3.5 },
      { month: "2026-02", series: "Mid-point", value: 4 },
      { month: "2026-02", series: "Final", value: 4.2 },
    ];
    const out = renderChart(monthSeriesChart, data, { width: 600, locale: "en" })!;
    expect(out.html.startsWith("<figure")).toBe(true);
    expect(count(plotSvg(out.html), "circle")).toBe(3);
    expect(plotSvg(out.html)).toContain("<title>Final · Feb 26: 4.2</title>");
    expect(plotSvg(out.html)).toMatch(/aria-label="line"/);
  });

  it("draws grouped bars and a sparkline; no rows gives null (the empty state)", () => {
    const bars = renderChart(groupedBarsChart, [{ x: "1", series: "a", value: 2 }, { x: "1", series: "b", value: 1 }, { x: "2", series: "a", value: 0 }], { width: 400, locale: "en" })!;
    expect(count(plotSvg(bars.html), "rect")).toBe(3);
    const spark = renderChart(sparklineChart, [{ month: "2026-01", value: 1 }, { month: "2026-02", value: null }, { month: "2026-03", value: 2 }], { width: 120, locale: "en" })!;
    expect(count(plotSvg(spark.html), "circle")).toBe(3); // two hover targets + the last-point dot
    expect(renderChart(barXChart, [], { width: 400, locale: "en" })).toBeNull();
  });

  it("rejects a malformed month by name", () => {
    expect(() => renderChart(monthSeriesChart, [{ month: "2026-1", value: 1 }], { width: 400, locale: "en" })).toThrow(/invalid month: "2026-1"/);
  });
});

describe("chart CSV", () => {
  it("writes the rows' raw values under their keys, guarding formulas", () => {
    const csv = rowsToCsv(
      [{ group: "=HYPERLINK()", n: 3, rate: null }, { group: "b,c", n: -1, rate: 0.25 }],
      [{ key: "group" }, { key: "n" }, { key: "rate" }],
    );
    expect(csv).toBe("group,n,rate\n'=HYPERLINK(),3,\n\"b,c\",-1,0.25\n");
  });
});

describe("market band chart", () => {
  it("shades the band and draws the cost as a rule, each with a tooltip", async () => {
    const { marketBandChart } = await import("../../app/components/charts/market-band.ts");
    const out = renderChart(marketBandChart, [{ value: 713, low: 600, high: 3600, currency: "EUR" }], { width: 180, locale: "en" })!;
    expect(count(plotSvg(out.html), "rect")).toBe(1);
    expect(plotSvg(out.html)).toContain("<title>€600 – €3,600</title>");
    expect(plotSvg(out.html)).toMatch(/aria-label="rule"><line[^>]*><title>€713<\/title>/);
  });
});
