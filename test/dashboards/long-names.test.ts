import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { barXChart } from "../../app/components/charts/bar-x.ts";
import { costsMarketBandChart } from "../../app/components/charts/costs-market-band.ts";
import { CHAR_PX, labelAxis, truncateLabel } from "../../app/components/charts/labels.ts";
import { renderChart } from "../../app/components/charts/render.server.ts";
import { topicsCompletionChart } from "../../app/components/charts/topics-completion.ts";

// Issue 14, item 9 (charts): a 120-character organization or topic name is cut at its end with
// an ellipsis to a margin computed from the chart's width, never cut from the left by the SVG's
// edge; the full name stays in the tooltips.
const LONG = "Société Coopérative Laitière des Producteurs Réunis de Beaumanoir, Clairval et Duperrier — Division Ressources Humaines.";
const LONG_TOPIC = "Conduire un entretien annuel d'évaluation avec un collaborateur en télétravail partiel dans une équipe multisite et mult";

interface Tick {
  text: string;
  title: string | null;
  x: number;
}
function yTicks(html: string): Tick[] {
  const { document } = parseHTML(`<div>${html}</div>`);
  const group = document.querySelector('g[data-mark="y-axis tick label"]');
  expect(group).not.toBeNull();
  const dx = Number(/translate\((-?[\d.]+)/.exec(group!.getAttribute("transform") ?? "")?.[1] ?? 0);
  return [...group!.querySelectorAll("text")].map((t) => ({
    text: [...t.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join(""),
    title: t.querySelector("title")?.textContent ?? null,
    // Where the label ends (text-anchor end): the margin, less the tick's padding.
    x: Number(/translate\(([\d.]+)/.exec(t.getAttribute("transform") ?? "")?.[1] ?? 0) + dx,
  }));
}

function expectFits(ticks: Tick[], width: number) {
  for (const tick of ticks) {
    // The label's estimated width fits left of where it ends: nothing is cut by the SVG's edge.
    expect(Array.from(tick.text).length * CHAR_PX, tick.text).toBeLessThanOrEqual(tick.x + 1);
    // At most 40 % of the chart for labels; half of a phone version's (under 400 px).
    expect(tick.x).toBeLessThanOrEqual(width * (width < 400 ? 0.5 : 0.4));
  }
}

describe("long names on chart axes", () => {
  it("the fixture is 120 characters", () => {
    expect(Array.from(LONG).length).toBe(120);
    expect(Array.from(LONG_TOPIC).length).toBe(120);
  });

  it("truncates at the end with an ellipsis", () => {
    expect(truncateLabel("Laiteries Beaumanoir", 40)).toBe("Laiteries Beaumanoir");
    expect(truncateLabel("Laiteries Beaumanoir", 12)).toBe("Laiteries…");
    expect(Array.from(truncateLabel(LONG, 30)).length).toBeLessThanOrEqual(30);
    const axis = labelAxis(["short", LONG], 520);
    expect(axis.margin).toBeLessThanOrEqual(520 * 0.4 + 1);
    expect(labelAxis(["Others"], 520).margin).toBeLessThan(60);
  });

  it("bar chart: the organization name is cut with an ellipsis, its full name in the tooltips", () => {
    const rows = [{ label: LONG, value: 26400 }, { label: "Others", value: 9349.5 }];
    for (const width of [520, 600, 360]) {
      const out = renderChart(barXChart, rows, { width, locale: "en", currency: "EUR" })!;
      const ticks = yTicks(out.html);
      expect(ticks[0].text.endsWith("…")).toBe(true);
      expect(LONG.startsWith(ticks[0].text.slice(0, -1))).toBe(true);
      expect(ticks[0].title).toBe(LONG);
      expect(ticks[1]).toMatchObject({ text: "Others", title: "Others" });
      expectFits(ticks, width);
      expect(out.html).toContain(`<title>${LONG}: €26,400</title>`);
    }
  });

  it("topic completion and market band charts keep long names inside their margin", () => {
    const topics = renderChart(topicsCompletionChart, [{ label: LONG_TOPIC, category: "Management", targeted: 10, acquired: 4 }, { label: "Excel", category: "Digital", targeted: 6, acquired: 6 }], {
      width: 1000,
      locale: "fr",
      acquiredLabel: "Acquis",
      pendingLabel: "En cours",
    })!;
    const t = yTicks(topics.html);
    expect(t[0].text.endsWith("…")).toBe(true);
    expect(t[0].title).toBe(LONG_TOPIC);
    expectFits(t, 1000);
    const band = renderChart(costsMarketBandChart, [{ label: "Program", value: 713 }, { label: LONG, value: 668 }], { width: 1000, locale: "en", band: { low: 600, high: 3600 }, currency: "EUR", bandLabel: "Market band" })!;
    const b = yTicks(band.html);
    expect(b[1].text.endsWith("…")).toBe(true);
    expect(b[1].title).toBe(LONG);
    expectFits(b, 1000);
  });
});

describe("labels that share their beginning (the Quality page's end reasons)", () => {
  it("are never cut to the same text: those are cut in their middle, keeping their ends", () => {
    const reasons = ["Manque de disponibilité du mentor", "Manque de disponibilité du mentoré", "Congé parental"];
    const out = renderChart(barXChart, reasons.map((label, i) => ({ label, value: i + 1 })), { width: 520, locale: "fr" })!;
    const ticks = yTicks(out.html);
    const shown = ticks.map((t) => t.text);
    expect(new Set(shown).size).toBe(3);
    expect(shown[0]).toMatch(/…du mentor$/);
    expect(shown[1]).toMatch(/…du mentoré$/);
    expect(shown[2]).toBe("Congé parental");
    expect(ticks.map((t) => t.title)).toEqual(reasons);
    expectFits(ticks, 520);
    const axis = labelAxis(reasons, 520);
    for (const r of reasons) expect(Array.from(axis.format(r)).length).toBeLessThanOrEqual(axis.maxChars);
  });
});
