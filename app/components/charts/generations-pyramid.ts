import * as Plot from "@observablehq/plot";
import { colon } from "../../i18n/format.ts";
import { tickFormats } from "./axis.ts";
import { hiddenMarksX } from "./bar-x.ts";
import type { ChartOptions } from "./types.ts";

/** People of one role in one 5-year band of age at the program's start (null: hidden). */
export interface PyramidBar {
  role: "mentor" | "mentee";
  band_start_years: number;
  participants: number | null;
}

/**
 * The age pyramid: mentors to the left, mentees to the right, one row per 5-year band of age
 * at the program's start (oldest at the top); the 30–50 core is shaded so the low and high
 * octaves stand out. `<title>` tooltips on the bars; a hidden band is marked "▨ hidden" on its side.
 */
export function generationsPyramidChart(
  data: readonly PyramidBar[],
  { width, locale, document, roleLabels, coreLabel, hiddenLabel = "hidden" }: ChartOptions & { roleLabels: { mentor: string; mentee: string }; coreLabel: string },
) {
  const fmt = tickFormats(locale);
  const bands = [...new Set(data.map((d) => d.band_start_years))].sort((a, b) => b - a);
  const bandLabel = (start: number) => `${start}–${start + 4}`;
  const rows = data
    .filter((d) => d.participants !== null)
    .map((d) => ({ ...d, band: bandLabel(d.band_start_years), signed: d.role === "mentor" ? -(d.participants as number) : (d.participants as number) }));
  const max = Math.max(1, ...rows.map((r) => Math.abs(r.signed)));
  const core = bands.filter((b) => b >= 30 && b + 4 <= 50).map(bandLabel);
  return Plot.plot({
    document,
    width,
    height: Math.max(120, 24 * bands.length + 60),
    marginLeft: 56,
    x: { domain: [-max, max], label: `← ${roleLabels.mentor} · ${roleLabels.mentee} →`, labelAnchor: "center", tickFormat: (v: number) => fmt.number(Math.abs(v)), grid: true },
    y: { domain: bands.map(bandLabel), label: null },
    color: { domain: [roleLabels.mentor, roleLabels.mentee], range: ["#2f5bd3", "#d36b2f"], legend: true },
    marks: [
      Plot.barX(core, { x1: -max, x2: max, y: (d: string) => d, fill: "#f1f1ea", title: () => coreLabel }),
      Plot.barX(rows, {
        x: "signed",
        y: "band",
        fill: (d: (typeof rows)[number]) => roleLabels[d.role],
        title: (d: (typeof rows)[number]) => `${roleLabels[d.role]} · ${d.band}${colon(locale)}${fmt.number(d.participants as number)}`,
      }),
      ...(["mentor", "mentee"] as const).flatMap((role) =>
        hiddenMarksX(data.filter((d) => d.role === role && d.participants === null).map((d) => ({ label: bandLabel(d.band_start_years) })), hiddenLabel, locale, role === "mentor" ? -4 : 4),
      ),
      Plot.ruleX([0]),
    ],
  });
}
