import { parseHTML } from "linkedom";
import type { Locale } from "../../i18n/locale.ts";
import type { MessageKey } from "../../i18n/messages.ts";
import { translate } from "../../i18n/translate.ts";
import type { ChartOptions } from "./types.ts";

// One linkedom document for the process: Plot only creates detached elements in it.
let shared: Document | null = null;
function serverDocument(): Document {
  shared ??= parseHTML("<!DOCTYPE html><html><head></head><body></body></html>").document as unknown as Document;
  return shared;
}

/**
 * A chart rendered on the server: the markup to show. Its last `<svg>` (the plot) carries the
 * SVG namespace, so the page's "SVG" download serializes it from the page as a valid .svg file
 * (ChartFigure): the SVG does not travel twice more, as a second string in the loader data and
 * as a data URL in the markup.
 */
export interface RenderedChart {
  /** An `<svg>`, or Plot's `<figure>` (legend + svg) when the chart has a legend. */
  html: string;
  /**
   * The same chart drawn `PHONE_WIDTH` wide, for a screen of at most 640 px (ChartFigure swaps it
   * in): a chart of row labels drawn 500–1,000 px wide opened on its labels there, its bars a
   * swipe away. Only charts rendered with `phoneWidth` have one.
   */
  phone?: string;
}

/**
 * The width a phone version is drawn at: a 390 px screen's chart card (the page's and the card's
 * padding taken off). A narrower phone shrinks it a little (app.css); a wider screen than 640 px
 * never sees it.
 */
export const PHONE_WIDTH = 340;

/**
 * Renders a chart function on the server with linkedom. Tooltips are the marks' `<title>`
 * elements. Returns null for no rows, so the page shows its empty state instead of an empty
 * frame.
 */
export function renderChart<Row, Extra extends object = object>(
  chart: (data: readonly Row[], options: ChartOptions & Extra) => Element,
  data: readonly Row[],
  options: Omit<ChartOptions, "document"> & Extra & { phoneWidth?: number },
): RenderedChart | null {
  if (data.length === 0) return null;
  const { phoneWidth, ...chartOptions } = options;
  const hiddenLabel = options.hiddenLabel ?? translate(options.locale, "value.hidden");
  const draw = (width: number) => {
    const node = chart(data, { ...chartOptions, width, hiddenLabel, document: serverDocument() } as unknown as ChartOptions & Extra);
    const svgs = node.tagName.toLowerCase() === "svg" ? [node] : Array.from(node.querySelectorAll("svg"));
    for (const svg of svgs) svg.setAttribute("xmlns", "http://www.w3.org/2000/svg");
    nameMarks(svgs, options.locale);
    hideDecorativeGroups(svgs);
    return node.outerHTML;
  };
  const html = draw(options.width);
  return phoneWidth !== undefined && phoneWidth < options.width ? { html, phone: draw(phoneWidth) } : { html };
}

/**
 * Plot names each mark's group (`<g aria-label="rule">`), but a group with no text and no
 * tooltip has no role for assistive technology, where a name is not allowed (axe-core:
 * aria-prohibited-attr). Such groups are drawing only (rules, areas, frames): hidden from
 * screen readers, which read the chart's caption and data table instead.
 */
function hideDecorativeGroups(svgs: Element[]): void {
  for (const svg of svgs) {
    for (const g of Array.from(svg.querySelectorAll("g[aria-label]"))) {
      if (!g.hasAttribute("role") && !g.querySelector("title, text")) g.setAttribute("aria-hidden", "true");
    }
  }
}

const MARKS = new Set(["area", "bar", "cell", "dot", "frame", "line", "link", "rect", "rule", "text", "tick", "tip"]);
const AXIS_PARTS: Record<string, MessageKey> = { " tick": "chart.mark.axisTick", " tick label": "chart.mark.axisTickLabel", " label": "chart.mark.axisLabel" };

/** The reader's-language name of one of Plot's mark groups (`bar`, `x-axis tick label`…); unknown ones as they are. */
export function markName(locale: Locale, mark: string): string {
  if (MARKS.has(mark)) return translate(locale, `chart.mark.${mark}` as MessageKey);
  const grid = /^(f?[xy])-grid$/.exec(mark);
  if (grid) return translate(locale, "chart.mark.grid", { axis: grid[1] });
  const axis = /^(f?[xy])-axis( tick| tick label| label)$/.exec(mark);
  if (axis) return translate(locale, AXIS_PARTS[axis[2]], { axis: axis[1] });
  return mark;
}

/**
 * Plot names each mark's group in English (`<g aria-label="bar">`), which a screen reader reads
 * out on a French page: the name is put in the reader's language, and Plot's identifier kept in
 * `data-mark` for what selects a mark (tests, styles).
 */
function nameMarks(svgs: Element[], locale: Locale): void {
  for (const svg of svgs) {
    for (const g of Array.from(svg.querySelectorAll("g[aria-label]"))) {
      const mark = g.getAttribute("aria-label")!;
      g.setAttribute("data-mark", mark);
      g.setAttribute("aria-label", markName(locale, mark));
    }
  }
}
