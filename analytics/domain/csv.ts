/**
 * The one CSV writer of every download (chart data, simulated pairs, the report), keyed by the
 * reader's language so that the file opens right in that language's spreadsheet:
 *
 * - `en`: `,` between cells, `.` in decimals, no byte-order mark (unchanged since the first
 *   downloads: scripts that read them keep working).
 * - `fr`: `;` between cells, `,` in decimals, and a UTF-8 byte-order mark, which is what a
 *   French Excel needs to split the columns, read `0,25` as a number and show "Binôme" rather
 *   than "BinÃ´me" when the file is double-clicked.
 *
 * In both: numbers are written as numbers (no thousands separator, no rounding), `null` is an
 * empty cell, booleans are `true`/`false`, and a text cell is guarded against formula injection
 * (a leading `'` before `=`, `+`, `-`, `@`, a tab or a carriage return: OWASP's advice) and
 * quoted when it holds the separator, a quote or a line break (quotes doubled, RFC 4180).
 * Lines end with `\n`. Pure: used on the server and in the browser.
 */
export type CsvCell = string | number | boolean | null;

/** The languages of the interface (app/i18n/locale.ts), as far as CSV is concerned. */
export type CsvLocale = "en" | "fr";

export interface CsvDialect {
  separator: "," | ";";
  decimal: "." | ",";
  /** Whether the file starts with a UTF-8 byte-order mark (U+FEFF). */
  bom: boolean;
}

export const CSV_DIALECTS: Readonly<Record<CsvLocale, CsvDialect>> = {
  en: { separator: ",", decimal: ".", bom: false },
  fr: { separator: ";", decimal: ",", bom: true },
};

export const BOM = "\uFEFF";

/** The `Content-Type` of a CSV download. */
export const CSV_CONTENT_TYPE = "text/csv; charset=utf-8";

/**
 * A text cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or
 * carriage return in front) gets a leading apostrophe. Numbers are written as numbers, so a
 * negative amount stays a number.
 */
export function escapeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One cell in the locale's dialect. */
export function csvCell(value: CsvCell, locale: CsvLocale = "en"): string {
  const { separator, decimal } = CSV_DIALECTS[locale];
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "";
    const text = String(value);
    return decimal === "." ? text : text.replace(".", decimal);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = escapeFormula(value);
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line (no line ending) in the locale's dialect. */
export function csvLine(cells: readonly CsvCell[], locale: CsvLocale = "en"): string {
  return cells.map((c) => csvCell(c, locale)).join(CSV_DIALECTS[locale].separator);
}

/**
 * A whole file: the header line, one line per row, `\n` after each, and the byte-order mark
 * in front where the dialect has one.
 */
export function csvDocument(header: readonly string[], rows: Iterable<readonly CsvCell[]>, locale: CsvLocale = "en"): string {
  const lines = [csvLine(header, locale)];
  for (const row of rows) lines.push(csvLine(row, locale));
  return (CSV_DIALECTS[locale].bom ? BOM : "") + lines.join("\n") + "\n";
}
