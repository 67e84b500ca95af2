import { Link, useLocation, useRouteLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { csvDocument, type CsvCell, type CsvLocale } from "../../analytics/domain/csv.ts";
import { useT } from "../i18n/use-t.ts";
import { hasFilters, type Filters } from "../utils/filters.ts";
import type { RenderedChart } from "./charts/render.server.ts";

/** One column of a chart's data: the key in the rows (also the CSV header) and how to show it. */
export interface DataColumn<Row> {
  key: keyof Row & string;
  label: string;
  /** Display format for the table; the CSV always has the raw value. */
  format?: (value: Row[keyof Row], row: Row) => string;
  numeric?: boolean;
}

/**
 * The CSV of a chart's rows: the column keys as header, raw values (numbers as numbers, null
 * empty), text guarded against formula injection, in the reader's dialect (`fr`: `;`, decimal
 * comma, byte-order mark: analytics/domain/csv.ts). The same rows the loader returned, so the
 * download equals the loader's data.
 */
export function rowsToCsv<Row extends object>(rows: readonly Row[], columns: readonly { key: keyof Row & string }[], locale: CsvLocale = "en"): string {
  return csvDocument(
    columns.map((c) => c.key),
    rows.map((row) => columns.map((c) => (row[c.key] ?? null) as CsvCell)),
    locale,
  );
}

function dataUrl(mime: string, text: string): string {
  return `data:${mime};charset=utf-8,${encodeURIComponent(text)}`;
}

/**
 * The "SVG" download of the chart in `container`: its last `<svg>` (the plot; a legend's
 * swatches come first), serialized as XML from the page once it runs in the browser, as a blob
 * URL. Undefined until then: the link has no target before hydration.
 */
function useSvgDownload(container: React.RefObject<HTMLElement | null>, html: string | undefined): string | undefined {
  const [href, setHref] = useState<string | undefined>(undefined);
  useEffect(() => {
    const svgs = container.current?.querySelectorAll("svg");
    const main = svgs && svgs.length > 0 ? svgs[svgs.length - 1] : null;
    if (!main) return setHref(undefined);
    const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(main)], { type: "image/svg+xml" }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [container, html]);
  return href;
}

/** The media query of the phone layout (app.css uses the same 640 px). */
const PHONE_QUERY = "(max-width: 640px)";

/**
 * Whether the screen is a phone's (≤ 640 px), followed as it turns or resizes. False on the
 * server and before hydration: the page is first drawn with the wide charts.
 */
function usePhoneScreen(): boolean {
  const [phone, setPhone] = useState(false);
  useEffect(() => {
    const query = window.matchMedia(PHONE_QUERY);
    const update = () => setPhone(query.matches);
    update();
    query.addEventListener("change", update);
    return () => query.removeEventListener("change", update);
  }, []);
  return phone;
}

export interface ChartFigureProps<Row extends object> {
  /** Stable id: the figure's `id`, `data-chart` and the download file names. */
  id: string;
  title: string;
  /** What the chart shows, in one or two sentences (the figure's caption). */
  caption: string;
  /** Server-rendered chart (renderChart), or null when there are no rows. */
  chart: RenderedChart | null;
  rows: readonly Row[];
  columns: readonly DataColumn<Row>[];
  /** Rows with `suppressed: true` (or a null cell named in `suppressed_fields`) read "hidden". */
  emptyText?: string;
  /** A sentence shown under the chart, e.g. why part of it is not drawn. */
  note?: string;
}

/**
 * A chart with its caption, an accessible data table (in a `<details>`), and downloads of the
 * data as CSV and of the chart as SVG; an empty state when there are no rows.
 */
/** Whether a row's cell is hidden for the reader (`suppressed`, or the column named in `suppressed_fields`). */
function hiddenCell(row: object, key: string): boolean {
  const r = row as { suppressed?: unknown; suppressed_fields?: unknown };
  return r.suppressed === true || (Array.isArray(r.suppressed_fields) && r.suppressed_fields.includes(key));
}

/**
 * A data table of rows: formatted cells, "hidden" for a suppressed cell, "–" for an empty one.
 * The caption is visually hidden unless `visibleCaption` (then shown under the table, as a note).
 */
export function DataTable<Row extends object>({
  rows,
  columns,
  caption,
  visibleCaption = false,
  className = "data",
  name,
  rowAttributes,
}: {
  rows: readonly Row[];
  columns: readonly DataColumn<Row>[];
  caption: string;
  visibleCaption?: boolean;
  className?: string;
  /** `data-table` of the table (tests and styles find it by it). */
  name?: string;
  rowAttributes?: (row: Row) => Record<string, string | undefined>;
}) {
  const { t } = useT();
  return (
    <table className={className} data-table={name}>
      <caption className={visibleCaption ? "note" : "visually-hidden"}>{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.key} scope="col" className={c.numeric ? "num" : undefined}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i} {...rowAttributes?.(row)}>
            {columns.map((c) => {
              const value = row[c.key];
              const text =
                value === null || value === undefined ? (hiddenCell(row, c.key) ? t("value.hidden") : "–") : c.format ? c.format(value, row) : String(value);
              return (
                <td key={c.key} className={c.numeric ? "num" : undefined} data-label={c.label}>
                  {text}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * A chart with nothing to draw: the page's own sentence when it gives one (it knows the reason,
 * e.g. figures hidden for privacy); else, on a program page whose filters are on, that no pair
 * matches them, with a link that clears them; else "no data yet".
 */
function EmptyChart({ text }: { text?: string }) {
  const { t } = useT();
  const { pathname } = useLocation();
  const layout = useRouteLoaderData("routes/programs.$programId") as { filters?: Filters } | undefined;
  if (text === undefined && layout?.filters && hasFilters(layout.filters)) {
    return (
      <p className="empty chart-empty" data-empty="filtered">
        {t("chart.emptyFiltered")}{" "}
        <Link to={pathname} data-clear-filters="true">
          {t("filters.clear")}
        </Link>
      </p>
    );
  }
  return (
    <p className="empty chart-empty" data-empty="true">
      {text ?? t("chart.empty")}
    </p>
  );
}

export function ChartFigure<Row extends object>({ id, title, caption, chart, rows, columns, emptyText, note }: ChartFigureProps<Row>) {
  const { t, locale } = useT();
  const anyHidden = rows.some((row) => columns.some((c) => row[c.key] === null && hiddenCell(row, c.key)));
  const svgContainer = useRef<HTMLDivElement>(null);
  // A phone draws the chart's phone version when it has one (row labels beside bars that fit).
  const phone = usePhoneScreen() && chart?.phone !== undefined;
  const html = phone ? chart?.phone : chart?.html;
  const svgHref = useSvgDownload(svgContainer, html);
  return (
    <figure className="chart" id={id} data-chart={id}>
      <h3>{title}</h3>
      {chart === null || rows.length === 0 ? (
        <EmptyChart text={emptyText} />
      ) : (
        <>
          <div className="chart-svg" ref={svgContainer} data-variant={phone ? "phone" : "wide"} dangerouslySetInnerHTML={{ __html: html ?? chart.html }} />
          <figcaption>{caption}</figcaption>
          {note ? <p className="note" data-note="withheld">{note}</p> : null}
          <details className="chart-data">
            <summary>{t("chart.data")}</summary>
            <DataTable rows={rows} columns={columns} caption={title} />
            {anyHidden ? <p className="note">{t("chart.hiddenNote")}</p> : null}
          </details>
          <p className="chart-downloads">
            <a href={dataUrl("text/csv", rowsToCsv(rows, columns, locale))} download={`${id}.csv`} data-download="csv">
              {t("chart.downloadCsv")}
            </a>{" "}
            ·{" "}
            <a href={svgHref} download={`${id}.svg`} data-download="svg" data-ready={svgHref ? "true" : "false"}>
              {t("chart.downloadSvg")}
            </a>
          </p>
        </>
      )}
    </figure>
  );
}
