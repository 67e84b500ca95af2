import * as Plot from "@observablehq/plot";
import { colon } from "../../i18n/format.ts";
import { tickFormats } from "./axis.ts";
import type { ChartOptions } from "./types.ts";

/** Pairs of one mentor generation × mentee generation (null: hidden). */
export interface MatrixCell {
  mentor: string;
  mentee: string;
  pairs: number | null;
}

/**
 * The mentor-generation × mentee-generation matrix: one cell per combination, darker for more
 * pairs, the count written in it ("–" for hidden), the diagonal (same generation) outlined.
 * No colour ramp legend (it needs a canvas on the server): the numbers are in the cells.
 */
export function generationsMatrixChart(
  data: readonly MatrixCell[],
  { width, locale, document, order, mentorLabel, menteeLabel, hiddenText }: ChartOptions & { order: string[]; mentorLabel: string; menteeLabel: string; hiddenText: string },
) {
  const fmt = tickFormats(locale);
  const cells = order.flatMap((mentor) =>
    order.map((mentee) => {
      const found = data.find((d) => d.mentor === mentor && d.mentee === mentee);
      return { mentor, mentee, pairs: found ? found.pairs : 0, hidden: found ? found.pairs === null : false };
    }),
  );
  const size = Math.min(90, Math.floor((width - 140) / order.length));
  return Plot.plot({
    document,
    width: Math.min(width, 140 + size * order.length),
    height: 80 + size * order.length,
    marginLeft: 110,
    marginTop: 40,
    x: { domain: order, label: menteeLabel, axis: "top" },
    y: { domain: order, label: mentorLabel },
    color: { type: "linear", range: ["#eef2fc", "#1d3d99"], domain: [0, Math.max(1, ...cells.map((c) => c.pairs ?? 0))] },
    marks: [
      Plot.cell(cells, {
        x: "mentee",
        y: "mentor",
        fill: (c: (typeof cells)[number]) => (c.hidden ? null : c.pairs),
        inset: 1,
        title: (c: (typeof cells)[number]) => `${mentorLabel}${colon(locale)}${c.mentor} → ${menteeLabel}${colon(locale)}${c.mentee}\n${c.hidden ? hiddenText : fmt.number(c.pairs as number)}`,
      }),
      Plot.cell(
        cells.filter((c) => c.mentor === c.mentee),
        { x: "mentee", y: "mentor", stroke: "#333", strokeWidth: 1.5, fill: null },
      ),
      Plot.text(cells, {
        x: "mentee",
        y: "mentor",
        text: (c: (typeof cells)[number]) => (c.hidden ? "–" : fmt.number(c.pairs as number)),
        fill: (c: (typeof cells)[number]) => ((c.pairs ?? 0) > Math.max(...cells.map((x) => x.pairs ?? 0)) / 2 ? "white" : "black"),
        fontSize: 13,
      }),
    ],
  });
}
