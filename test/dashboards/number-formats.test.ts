import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { tileFormat } from "../../app/components/OverviewTiles.tsx";
import { barXChart } from "../../app/components/charts/bar-x.ts";
import { renderChart } from "../../app/components/charts/render.server.ts";
import { sparklineChart } from "../../app/components/charts/sparkline.ts";
import { brierText } from "../../app/components/simulations/SimulationResult.tsx";
import { formatDateTime, formatDelta, formatMoney, formatNumber, formatPercent, formatters, plural } from "../../app/i18n/format.ts";
import { programsMessages } from "../../app/i18n/pages/programs.ts";
import { simulationsMessages } from "../../app/i18n/pages/simulations.ts";
import { pageTranslator } from "../../app/i18n/translate.ts";
import { costsCharts } from "../../app/pages/costs.server.ts";

// Issue 14, item 11: amounts in charts carry their currency, changes are rounded like their
// figure, counts read as sentences, the Brier score stands beside the base rate's.
const NNBSP = "\u202f";
const NBSP = "\u00a0";
const texts = (html: string, selector: string) => [...parseHTML(`<div>${html}</div>`).document.querySelectorAll(selector)].map((t) =>
    [...t.childNodes]
      .filter((n) => n.nodeType === 3)
      .map((n) => n.textContent)
      .join(""),
  );

describe("money", () => {
  it("writes €26,400 in English and 26 400 € in French (narrow no-break space between thousands)", () => {
    expect(formatMoney("en", 26400, "EUR")).toBe("€26,400");
    expect(formatMoney("fr", 26400, "EUR")).toBe(`26${NNBSP}400${NBSP}€`);
    expect(formatMoney("en", 9349.5, "EUR")).toBe("€9,350");
    expect(formatMoney("en", 47.02, "EUR", "–", 0)).toBe("€47");
  });

  it("bar charts of amounts carry the currency on the axis, the value labels and the tooltips", () => {
    const out = renderChart(barXChart, [{ label: "Venue", value: 26400 }, { label: "Catering", value: 9349.5 }], { width: 500, locale: "en", currency: "EUR" })!;
    expect(texts(out.html, 'g[aria-label="text"] text')).toEqual(["€26,400", "€9,350"]);
    expect(out.html).toContain("<title>Catering: €9,350</title>");
    const ticks = texts(out.html, 'g[aria-label="x-axis tick label"] text');
    expect(ticks.length).toBeGreaterThan(1);
    for (const tick of ticks) expect(tick).toMatch(/^€\d/);
    const fr = renderChart(barXChart, [{ label: "Lieu", value: 26400 }], { width: 500, locale: "fr", currency: "EUR" })!;
    expect(texts(fr.html, 'g[data-mark="text"] text')).toEqual([`26${NNBSP}400${NBSP}€`]);
    // French tooltips: a narrow no-break space before the colon ("Lieu : 26 400 €"), as on the page.
    expect(fr.html).toContain(`<title>Lieu${NNBSP}: 26${NNBSP}400&#160;€</title>`);
    const tip = renderChart(sparklineChart, [{ month: "2025-10", value: 0.5 }, { month: "2025-11", value: 0.6 }], { width: 180, locale: "fr", percent: true })!;
    expect(tip.html).toContain(`<title>oct. 25${NNBSP}: 50&#160;%</title>`);
  });

  it("the cost tile's sparkline tips are in money", () => {
    const out = renderChart(sparklineChart, [{ month: "2025-10", value: 666.5 }, { month: "2025-11", value: 713.2 }], { width: 180, locale: "en", currency: "EUR" })!;
    expect(out.html).toContain("<title>Oct 25: €667</title>");
    expect(out.html).toContain("<title>Nov 25: €713</title>");
  });

  it("the cost page's category and organization charts are in money", () => {
    const page = {
      summary: { currency: "EUR", costs_total: 35749.5, cost_per_matched_mentee: 713, market_band_per_mentee: null },
      applied_filters: [],
      by_category: [{ cost_category: "venue", amount: 26400 }, { cost_category: "catering", amount: 9349.5 }],
      by_month: [],
      by_organization: [{ group_key: "BEAUMANOIR", org_name: "Laiteries Beaumanoir", amount: 9349.5, cost_per_matched_mentee: 668, suppressed_fields: [] }],
    };
    const charts = costsCharts(page as unknown as Parameters<typeof costsCharts>[0], "en");
    expect(texts(charts.categories!.html, 'g[aria-label="text"] text')).toEqual(["€26,400", "€9,350"]);
    expect(texts(charts.orgs!.html, 'g[aria-label="text"] text')).toEqual(["€9,350"]);
  });
});

describe("negative figures", () => {
  it("are written with the minus sign U+2212, not a hyphen (the impact balance table's −0,41)", () => {
    expect(formatNumber("fr", -0.41, 2)).toBe("\u22120,41");
    expect(formatNumber("en", -1234.5)).toBe("\u22121,234.5");
    expect(formatPercent("en", -0.125)).toBe("\u221212.5%");
    expect(formatMoney("en", -47, "EUR")).toBe("\u2212€47.00");
    expect(formatNumber("en", 0.41, 2)).toBe("0.41");
  });
});

describe("moments", () => {
  it("a stored UTC moment reads as a date and a time in the reader's language, the zone said", () => {
    expect(formatDateTime("en", "2026-12-06 21:13:52")).toBe("6 Dec 2026, 21:13 UTC");
    expect(formatDateTime("fr", "2026-12-06T21:13:52.120Z")).toBe("6 déc. 2026, 21:13 UTC");
    expect(formatDateTime("fr", "2026-12-06")).toBe("6 déc. 2026");
    expect(formatDateTime("en", null)).toBe("–");
  });
});

describe("the market band chart's first point", () => {
  const page = (applied: string[]) => ({
    summary: { currency: "EUR", costs_total: 35749.5, cost_per_matched_mentee: 713, market_band_per_mentee: { low: 600, high: 3600 } },
    applied_filters: applied,
    by_category: [],
    by_month: [],
    by_organization: [],
  });
  it("is the program without filters and this filtered view with them, in both languages", () => {
    const label = (applied: string[], locale: "en" | "fr") =>
      texts(costsCharts(page(applied) as unknown as Parameters<typeof costsCharts>[0], locale).band!.html, "text").find((t) => /Program|view|vue/.test(t));
    expect(label([], "en")).toBe("Program");
    expect(label([], "fr")).toBe("Programme");
    expect(label(["org"], "en")).toBe("This view (filtered)");
    expect(label(["from"], "fr")).toBe("Cette vue (filtrée)");
  });
});

describe("changes rounded like their figure", () => {
  it("+€47 beside €713, never +€47.02; cents only beside a figure under 100", () => {
    const money = tileFormat("cost_per_matched_mentee", "EUR");
    expect(formatDelta("en", 713, 47.02, money)).toBe("+€47");
    expect(formatDelta("en", 713, -47.02, money)).toBe("−€47");
    expect(formatDelta("fr", 713, 47.02, money)).toBe(`+47${NBSP}€`);
    expect(formatDelta("en", 60.5, 2.345, money)).toBe("+€2.35");
    expect(formatDelta("en", 412, 12, tileFormat("participants", "EUR"))).toBe("+12");
    expect(formatDelta("en", 4.1, 0.123, tileFormat("satisfaction", "EUR"))).toBe("+0.12");
    expect(formatDelta("fr", 0.42, 0.025, tileFormat("topic_completion", "EUR"))).toBe(`+2,5${NBSP}pt`);
  });

  it("a change that rounds to nothing is no change (null)", () => {
    expect(formatDelta("en", 713, 0.3, tileFormat("cost_per_matched_mentee", "EUR"))).toBeNull();
    expect(formatDelta("en", 412, 0, tileFormat("participants", "EUR"))).toBeNull();
  });
});

describe("plural rules", () => {
  it("picks one or other through Intl.PluralRules (French 0 and 1 are singular)", () => {
    const forms = { one: "one", other: "other" };
    expect([0, 1, 2].map((n) => plural("en", n, forms))).toEqual(["other", "one", "other"]);
    expect([0, 1, 2].map((n) => plural("fr", n, forms))).toEqual(["one", "one", "other"]);
  });

  it("the programs count reads as a sentence in both languages", () => {
    const line = (locale: "en" | "fr", n: number, admin: boolean) => {
      const pt = pageTranslator(programsMessages, locale);
      const f = formatters(locale);
      return pt(f.plural(n, admin ? { one: "countAdmin.one", other: "countAdmin.other" } : { one: "countOrg.one", other: "countOrg.other" }), { n: f.number(n, 0) });
    };
    expect(line("en", 2, true)).toBe("2 programs in this database.");
    expect(line("en", 1, true)).toBe("1 program in this database.");
    expect(line("en", 1, false)).toBe("1 program your organization takes part in.");
    expect(line("fr", 2, false)).toBe("2 programmes auxquels votre organisation participe.");
    expect(line("fr", 1, true)).toBe("1 programme dans cette base.");
    for (const locale of ["en", "fr"] as const) {
      for (const text of Object.values(programsMessages[locale])) expect(text).not.toMatch(/\(s\)/);
    }
  });
});

describe("the Brier line", () => {
  it("says Brier 0.146 (a base-rate forecast scores 0.235)", () => {
    expect(brierText("en", 0.1456, 0.2351)).toBe("Brier 0.146 (a base-rate forecast scores 0.235)");
    expect(brierText("fr", 0.1456, 0.2351)).toBe("Brier 0,146 (une prévision au taux de base obtient 0,235)");
    // Withheld base rate (a model trained on programs the reader cannot open): the score alone.
    expect(brierText("en", 0.1456, null)).toBe("Brier 0.146");
    const pt = pageTranslator(simulationsMessages, "en");
    expect(pt("result.model", { labelled: "1,200", successes: "700", auc: "0.712", brier: brierText("en", 0.146, 0.235) })).toBe(
      "Outcome model: fitted on 1,200 labelled pairs (700 successes); held-out AUC 0.712, Brier 0.146 (a base-rate forecast scores 0.235).",
    );
  });
});
