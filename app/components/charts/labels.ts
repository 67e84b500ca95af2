import * as Plot from "@observablehq/plot";
/**
 * Long names on a chart's axis (organizations, topics): the margin is computed from the labels
 * and the chart's width, and a label longer than the margin holds is cut at its end with an
 * ellipsis ("Laiteries Beaumanoir et Fromageries…"), never from the left by the SVG's edge. The
 * full name stays in the tick's `<title>` tooltip, in the marks' tooltips and in the data table.
 */

/** Width of one character of Plot's 10 px sans-serif axis text, generously (capitals, digits). */
export const CHAR_PX = 6.2;
/** Room between the label and the axis (tick and padding). */
const PAD = 14;

/** `label` cut to at most `maxChars` characters (code points), the last one an ellipsis when cut (at a word's end when one is near). */
export function truncateLabel(label: string, maxChars: number): string {
  const chars = Array.from(label);
  if (chars.length <= maxChars) return label;
  const cut = chars.slice(0, Math.max(1, maxChars - 1)).join("");
  // At a word's end when one is close (at most 8 characters back), else mid-word.
  const space = cut.lastIndexOf(" ");
  const kept = space > 0 && cut.length - space <= 8 ? cut.slice(0, space) : cut;
  return `${kept.replace(/[\s,;:—–-]+$/u, "")}…`;
}

/**
 * `label` cut in its middle to at most `maxChars` characters ("Manque de dispo…du mentoré"): for
 * labels that share their beginning, which a cut at the end would make identical.
 */
export function truncateMiddle(label: string, maxChars: number): string {
  const chars = Array.from(label);
  if (chars.length <= maxChars) return label;
  let tail = chars.slice(chars.length - Math.max(1, Math.floor((maxChars - 1) / 2))).join("");
  // The end from a word's start when there is one ("…du mentoré", not "…ilité du mentoré").
  const space = tail.indexOf(" ");
  if (space >= 0 && space < tail.length - 3) tail = tail.slice(space + 1);
  const head = Math.max(1, maxChars - 1 - Array.from(tail).length);
  return `${chars.slice(0, head).join("").trimEnd()}…${tail}`;
}

export interface LabelAxis {
  /** The left margin that holds the longest (shown) label. */
  margin: number;
  /** The most characters a label keeps. */
  maxChars: number;
  /** A label as the axis writes it (cut to `maxChars`). */
  format: (label: string) => string;
}

/**
 * The left margin and the cut of the labels of a horizontal chart `width` px wide: as wide as the
 * longest label, but at most `share` of the width (40 % by default, half on a phone version under
 * 400 px, where a name cut to 40 % kept a dozen letters) and at most `maxChars`
 * characters (40), so the bars keep most of the chart.
 */
export function labelAxis(labels: readonly string[], width: number, { share = width < 400 ? 0.5 : 0.4, maxChars = 40, min = 40 }: { share?: number; maxChars?: number; min?: number } = {}): LabelAxis {
  const longest = Math.max(0, ...labels.map((l) => Array.from(l).length));
  const fits = Math.max(4, Math.min(maxChars, Math.floor((width * share - PAD) / CHAR_PX)));
  const chars = Math.min(longest, fits);
  // Two labels cut to the same text ("Manque de disponibilité du…" for "… du mentor" and "… du
  // mentoré") would read as one: those are cut in their middle instead, keeping their ends.
  const cut = new Map<string, string>();
  const count = new Map<string, number>();
  for (const l of new Set(labels)) {
    const t = truncateLabel(l, fits);
    cut.set(l, t);
    count.set(t, (count.get(t) ?? 0) + 1);
  }
  const format = (label: string) => {
    const t = cut.get(label) ?? truncateLabel(label, fits);
    return (count.get(t) ?? 0) > 1 ? truncateMiddle(label, fits) : t;
  };
  return { margin: Math.max(min, Math.round(PAD + chars * CHAR_PX)), maxChars: fits, format };
}

/** The y axis of labels as `axis` cuts them, each tick label with the full name as its `<title>`. */
export function labelAxisY(axis: LabelAxis) {
  return Plot.axisY({ tickFormat: axis.format, title: (label: string) => label, label: null });
}
