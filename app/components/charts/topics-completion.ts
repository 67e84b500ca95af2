import * as Plot from "@observablehq/plot";
import { colon } from "../../i18n/format.ts";
import { tickFormats } from "./axis.ts";
import { hiddenMarksX } from "./bar-x.ts";
import { labelAxis, labelAxisY } from "./labels.ts";
import type { ChartOptions } from "./types.ts";

/** One topic: its label, topics targeted and acquired (null: hidden). */
export interface TopicCompletionRow {
  label: string;
  category: string;
  targeted: number | null;
  acquired: number | null;
}

/**
 * Targeted → acquired, one horizontal bar per topic (in the given order): the whole bar is
 * what was targeted, its dark part what was acquired, the completion rate at its end; a
 * `<title>` tooltip on each part. Hidden topics keep their row, marked "▨ hidden".
 */
export function topicsCompletionChart(
  data: readonly TopicCompletionRow[],
  { width, locale, document, acquiredLabel, pendingLabel, hiddenLabel = "hidden" }: ChartOptions & { acquiredLabel: string; pendingLabel: string },
) {
  const fmt = tickFormats(locale);
  const shown = data.filter((d) => d.targeted !== null && d.acquired !== null) as { label: string; category: string; targeted: number; acquired: number }[];
  const parts = shown.flatMap((d) => [
    { label: d.label, status: acquiredLabel, value: d.acquired, row: d },
    { label: d.label, status: pendingLabel, value: d.targeted - d.acquired, row: d },
  ]);
  const labels = data.map((d) => d.label);
  const axis = labelAxis(labels, width, { maxChars: 48 });
  return Plot.plot({
    document,
    width,
    height: Math.max(80, 26 * labels.length + 60),
    marginLeft: axis.margin,
    marginRight: 56,
    x: { grid: true, label: null, tickFormat: fmt.number },
    y: { domain: labels, label: null },
    color: { domain: [acquiredLabel, pendingLabel], range: ["#2f5bd3", "#c9d4f2"], legend: true },
    marks: [
      Plot.barX(parts, {
        x: "value",
        y: "label",
        fill: "status",
        order: [acquiredLabel, pendingLabel],
        title: (p: (typeof parts)[number]) =>
          `${p.label}\n${p.status}${colon(locale)}${fmt.number(p.value)} / ${fmt.number(p.row.targeted)} (${fmt.percent(p.row.acquired / p.row.targeted)})`,
      }),
      Plot.text(shown, {
        x: "targeted",
        y: "label",
        text: (d: (typeof shown)[number]) => fmt.percent(d.acquired / d.targeted),
        dx: 4,
        textAnchor: "start",
      }),
      ...hiddenMarksX(data.filter((d) => d.targeted === null || d.acquired === null), hiddenLabel, locale),
      Plot.ruleX([0]),
      labelAxisY(axis),
    ],
  });
}
