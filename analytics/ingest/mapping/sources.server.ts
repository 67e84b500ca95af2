/**
 * The user's own files, read for a mapping: CSV files and Excel workbooks (each sheet a source).
 * A source has a header (its first non-empty row) and data rows, each with the location problems
 * name: the physical line of a CSV file, the row of a sheet (`octave.xlsx [Binômes]:row 12`),
 * and the column by its header (`Année mentor`), or its letter and header in a sheet
 * (`C (Année mentor)`). Excel cells keep what Excel stores: numbers, text, booleans, and dates
 * (a number with a date format, 1900- or 1904-based), formulas their cached values.
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import * as XLSX from "@e965/xlsx";
import { unzipSync } from "fflate";
import { fileProblem, type Problem } from "../problems.ts";
import { csvDelimiter, csvHeader, decodeText, parseCsv } from "./csv.ts";

/** A cell as the source holds it: text (CSV, or a text cell), an Excel number, boolean or date (ISO `YYYY-MM-DD`). */
export type Cell = string | number | boolean | { date: string } | null;

export interface SourceFile {
  path: string;
  /** The file's name as problems show it. */
  name: string;
  kind: "csv" | "xlsx";
  bytes: number;
  sha256: string;
}

export interface Source {
  file: SourceFile;
  /** As problems name it: `binomes.csv`, or `octave.xlsx [Binômes]`. */
  display: string;
  /** The sheet's name (workbooks only). */
  sheet: string | null;
  headers: string[];
  /** Where the header is: its line (CSV) or row (sheet). */
  headerAt: number;
  /** The header's label in problems: the header (CSV) or `C (header)` (sheet). */
  label(index: number): string;
  /**
   * Calls `fn` for every data row, in order, with its cells (by header position) and its physical
   * line (CSV) or sheet row, until `fn` returns false. A CSV file is parsed as it goes (its rows
   * are not kept): its record-length problems land in `problems` then.
   */
  each(fn: (cells: Cell[], at: number) => void | boolean): void;
  /** Problems of the file itself (unreadable, record lengths). */
  problems: Problem[];
}

/** The first `n` data rows of a source (to look at its values). */
export function sampleRows(source: Source, n: number): Cell[][] {
  const rows: Cell[][] = [];
  source.each((cells) => {
    rows.push(cells);
    return rows.length < n;
  });
  return rows;
}

/** The limits a workbook is read within (a workbook is a zip): those of a web upload. */
export interface WorkbookLimits {
  maxUploadBytes: number;
  maxUncompressedBytes: number;
  maxCompressionRatio: number;
}

export const SOURCE_EXTENSIONS = [".csv", ".txt", ".tsv", ".xlsx"] as const;

/** The files of the paths (folders: their CSV and workbook files, sorted), or problems for paths that do not exist. */
export function findSourceFiles(paths: string[]): { files: string[]; problems: Problem[]; warnings: string[] } {
  const files: string[] = [];
  const problems: Problem[] = [];
  const warnings: string[] = [];
  for (const path of paths) {
    let folder: boolean;
    try {
      folder = statSync(path).isDirectory();
    } catch {
      problems.push(fileProblem(path, "no such file or folder"));
      continue;
    }
    if (!folder) {
      files.push(path);
      continue;
    }
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name);
      if (name.startsWith(".") || name.startsWith("~$") || !statSync(full).isFile()) continue;
      if ((SOURCE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase())) files.push(full);
      else warnings.push(`${name}: not a CSV file or an Excel workbook, ignored`);
    }
  }
  if (paths.length === 0) problems.push(fileProblem("export", "no folder or file given"));
  return { files, problems, warnings };
}

/** Reads one file: a CSV source, or one source per sheet of a workbook. */
export function readSourceFile(path: string, limits: WorkbookLimits): { sources: Source[]; problems: Problem[] } {
  const name = basename(path);
  const bytes = readFileSync(path);
  const file: SourceFile = {
    path,
    name,
    kind: extname(name).toLowerCase() === ".xlsx" ? "xlsx" : "csv",
    bytes: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
  if (bytes.length === 0) return { sources: [], problems: [fileProblem(name, "empty file (not even a header): an empty file would wipe this part of the program")] };
  return file.kind === "xlsx" ? readWorkbook(file, bytes, limits) : readCsv(file, bytes);
}

function readCsv(file: SourceFile, bytes: Buffer): { sources: Source[]; problems: Problem[] } {
  const decoded = decodeText(bytes);
  if (!decoded) return { sources: [], problems: [fileProblem(file.name, "not a text file (it holds NUL bytes)")] };
  const text = decoded.text;
  const delimiter = csvDelimiter(text);
  const { header, line: headerAt } = csvHeader(text, delimiter);
  if (header.length === 0 || header.every((h) => h === "")) {
    return { sources: [], problems: [fileProblem(file.name, "no header line: the first line must name the columns", null, 1)] };
  }
  const problems: Problem[] = [];
  /** Problems are reported by the first pass that reads the whole file. */
  let reported = false;
  const each = (fn: (cells: Cell[], at: number) => void | boolean) => {
    let first = true;
    let stopped = false;
    const report = !reported;
    parseCsv(
      text,
      delimiter,
      (fields, line) => {
        if (first) {
          first = false;
          return;
        }
        if (fields.length !== header.length) {
          if (fields.every((f) => f.trim() === "")) return;
          if (report) {
            const what = fields.length > header.length ? "too many" : "too few";
            problems.push({ file: file.name, line, row: null, column: null, message: `${what} fields (the header has ${header.length}, this record ${fields.length})`, value: null });
          }
          return;
        }
        if (fn(fields, line) === false) {
          stopped = true;
          return false;
        }
      },
      (line) => {
        if (report && !stopped) problems.push(fileProblem(file.name, 'unterminated quoted field (a " opens here and never closes)', null, line));
      },
    );
    if (!stopped) reported = true;
    else if (report) problems.length = 0;
  };
  return {
    sources: [{ file, display: file.name, sheet: null, headers: header, headerAt, label: (i) => header[i] || `column ${i + 1}`, each, problems }],
    problems: [],
  };
}

/** Column letters of a 0-based index: 0 → A, 27 → AB. */
export function columnLetter(index: number): string {
  let s = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * The workbook's zip, checked like an uploaded zip before anything inflates it: its size, the
 * declared uncompressed size of its entries and their compression ratio (a zip bomb). fflate
 * then inflates each entry into a buffer of its declared size, so a lying header cannot make it
 * allocate more; only then does the reader parse it.
 */
function checkWorkbookZip(file: SourceFile, bytes: Buffer, limits: WorkbookLimits): string | null {
  const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;
  if (bytes.length > limits.maxUploadBytes) return `the workbook is larger than ${mb(limits.maxUploadBytes)}, the upload limit`;
  let total = 0;
  let refused: string | null = null;
  try {
    unzipSync(bytes, {
      filter(entry) {
        if (refused) return false;
        const ratio = entry.originalSize / Math.max(entry.size, 1);
        if (ratio > limits.maxCompressionRatio) refused = `the entry ${entry.name} expands ${Math.round(ratio)}× (limit ${limits.maxCompressionRatio}×), which looks like a zip bomb`;
        total += entry.originalSize;
        if (!refused && total > limits.maxUncompressedBytes) refused = `the workbook is larger than ${mb(limits.maxUncompressedBytes)} once uncompressed, the upload limit`;
        return !refused;
      },
    });
  } catch (error) {
    return refused ?? `not an Excel workbook (.xlsx is a zip): ${error instanceof Error ? error.message : String(error)}`;
  }
  return refused;
}

function readWorkbook(file: SourceFile, bytes: Buffer, limits: WorkbookLimits): { sources: Source[]; problems: Problem[] } {
  const refused = checkWorkbookZip(file, bytes, limits);
  if (refused) return { sources: [], problems: [fileProblem(file.name, refused)] };
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(bytes, { type: "buffer", dense: true, cellDates: false, cellNF: true, cellText: false, cellFormula: false, cellHTML: false, cellStyles: false });
  } catch (error) {
    return { sources: [], problems: [fileProblem(file.name, `not a readable Excel workbook: ${error instanceof Error ? error.message : String(error)}`)] };
  }
  const date1904 = Boolean(wb.Workbook?.WBProps?.date1904);
  const sources: Source[] = [];
  for (const sheet of wb.SheetNames) {
    const ws = wb.Sheets[sheet];
    const data = (ws["!data"] ?? []) as (XLSX.CellObject[] | undefined)[];
    const display = `${file.name} [${sheet}]`;
    let headerRow = -1;
    for (let r = 0; r < data.length; r++) {
      if (data[r]?.some((c) => cellValue(c, date1904) !== null)) {
        headerRow = r;
        break;
      }
    }
    if (headerRow === -1) continue; // an empty sheet is no source
    const headerCells = data[headerRow]!;
    const headers: string[] = [];
    for (let c = 0; c < headerCells.length; c++) {
      const v = cellValue(headerCells[c], date1904);
      headers.push(v === null ? "" : typeof v === "object" ? v.date : String(v).trim());
    }
    while (headers.length > 0 && headers[headers.length - 1] === "") headers.pop();
    const each = (fn: (cells: Cell[], at: number) => void | boolean) => {
      for (let r = headerRow + 1; r < data.length; r++) {
        const cells = data[r];
        if (!cells) continue;
        const row: Cell[] = new Array(headers.length).fill(null);
        let any = false;
        for (let c = 0; c < headers.length; c++) {
          const v = cellValue(cells[c], date1904);
          if (v !== null && !(typeof v === "string" && v.trim() === "")) any = true;
          row[c] = v;
        }
        if (any && fn(row, r + 1) === false) return;
      }
    };
    sources.push({
      file,
      display,
      sheet,
      headers,
      headerAt: headerRow + 1,
      label: (i) => `${columnLetter(i)} (${headers[i] || "no header"})`,
      each,
      problems: [],
    });
  }
  return { sources, problems: [] };
}

/** A cell's value as Excel stores it: a formula gives its cached value; a number with a date format is a date. */
export function cellValue(cell: XLSX.CellObject | undefined, date1904: boolean): Cell {
  if (!cell || cell.v === undefined || cell.v === null) return null;
  switch (cell.t as string) {
    case "s":
    case "str":
      return String(cell.v);
    case "b":
      return Boolean(cell.v);
    case "e":
      return typeof cell.w === "string" ? cell.w : XLSX_ERRORS[Number(cell.v)] ?? "#ERROR";
    case "d":
      return { date: (cell.v as Date).toISOString().slice(0, 10) };
    case "n": {
      const v = Number(cell.v);
      if (typeof cell.z === "string" && XLSX.SSF.is_date(cell.z)) return { date: excelDate(v, date1904) };
      return v;
    }
    default:
      return null;
  }
}

const XLSX_ERRORS: Record<number, string> = { 0: "#NULL!", 7: "#DIV/0!", 15: "#VALUE!", 23: "#REF!", 29: "#NAME?", 36: "#NUM!", 42: "#N/A" };

/** An Excel date serial as `YYYY-MM-DD` (the time of day dropped), in the 1900 or the 1904 date system. */
export function excelDate(serial: number, date1904: boolean): string {
  const d = XLSX.SSF.parse_date_code(serial, { date1904 });
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.y, 4)}-${pad(d.m)}-${pad(d.d)}`;
}
