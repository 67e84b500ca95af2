import { parseHTML } from "linkedom";
import type { ChartOptions } from "./types.ts";

// One linkedom document for the process: Plot only creates detached elements in it.
let shared: Document | null = null;
function serverDocument(): Document {
  shared ??= parseHTML("<!DOCTYPE html><html><head></head><body></body></html>").document as unknown as Document;
  return shared;
}

/** A chart rendered on the server: the markup to show and the standalone SVG to download. */
export interface RenderedChart {
  /** An `<svg>`, or Plot's `<figure>` (legend + svg) when the chart has a legend. */
  html: string;
  /** The plot's own `<svg>` with the SVG namespace: a valid .svg file. */
  svg: string;
}

/**
 * Renders a chart function on the server with linkedom. Tooltips are the marks' `<title>`
 * elements. Returns null for no rows, so the page shows its empty state instead of an empty
 * frame.
 */
export function renderChart<Row, Extra extends object = object>(
  chart: (data: readonly Row[], options: ChartOptions & Extra) => Element,
  data: readonly Row[],
  options: Omit<ChartOptions, "document"> & Extra,
): RenderedChart | null {
  if (data.length === 0) return null;
  const node = chart(data, { ...options, document: serverDocument() } as ChartOptions & Extra);
  const svgs = node.tagName.toLowerCase() === "svg" ? [node] : Array.from(node.querySelectorAll("svg"));
  for (const svg of svgs) svg.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  // In a figure the legend's swatches come first; the plot is the last svg.
  const main = svgs[svgs.length - 1];
  return { html: node.outerHTML, svg: main ? main.outerHTML : "" };
}
