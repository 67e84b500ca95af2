import type { Locale } from "../../i18n/locale.ts";

/**
 * What every chart function takes besides its data (Observable's `(data, {width}) → Plot.plot(…)`):
 * the width in pixels, the locale for tick labels, and on the server the linkedom `document`
 * (render.server.ts passes it; in the browser Plot uses the global one).
 */
export interface ChartOptions {
  width: number;
  locale: Locale;
  height?: number;
  document?: Document;
  /** The label drawn where a figure is hidden (small-cell suppression), e.g. "hidden (< 5)". */
  hiddenLabel?: string;
}

/** A chart: a pure function of its rows and options returning Plot's SVG (or figure) element. */
export type ChartFunction<Row> = (data: readonly Row[], options: ChartOptions) => SVGSVGElement | HTMLElement;
