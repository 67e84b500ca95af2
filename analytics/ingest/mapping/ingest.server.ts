/**
 * A mapped import: the user's files (CSV, Excel workbooks) read, the mapping applied
 * (transform.ts), the records written as an export in Binôme's format into a temporary folder,
 * then the import every export takes (`ingestExport`: the same staging, the same validation, one
 * transaction or nothing). Its problems are translated back to the user's files: the file (or
 * workbook and sheet), the line (or sheet row), and the header the column came from, never the
 * mapped names. Mapping errors are reported the same way, before anything is read into the
 * database. A workbook without a mapping is read as the export itself: one sheet per table.
 * CSV files through a mapping are first tried in DuckDB (duckdb.server.ts: the same records,
 * without a pass over the rows in JavaScript); on any problem it gives the import back to this
 * path, which reports it.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { Db } from "../../db/database.server.ts";
import { ingestExport, type IngestOptions, type IngestResult } from "../index.server.ts";
import type { Problem } from "../problems.ts";
import { TABLES, tableSpec, type TableName } from "../spec.ts";
import type { Mapping } from "./schema.ts";
import { ingestMappedInDuckDb } from "./duckdb.server.ts";
import { findSourceFiles, readSourceFile, type Source, type WorkbookLimits } from "./sources.server.ts";
import { applyMapping, headerKey, type MappedExport, type TableSink } from "./transform.ts";

export interface MappedIngestOptions extends IngestOptions {
  /** The mapping, and its name as problems show it (`flat-fr`, `my-mapping.json`); null: workbooks read as the export itself. */
  mapping: { mapping: Mapping; name: string } | null;
  /** The key of the pseudonyms (the installation's secret), when the mapping has any. */
  secret: string | null;
  limits: WorkbookLimits;
  /** CSV files may be mapped in DuckDB (duckdb.server.ts; the default); false: always through applyMapping. */
  inDuckDb?: boolean;
}

/** Whether paths hold anything the native import cannot read (a workbook, or a CSV not named after a table): they need a mapping. */
export function needsMapping(paths: string[]): boolean {
  const { files } = findSourceFiles(paths);
  return files.some((f) => f.toLowerCase().endsWith(".xlsx"));
}

/** Whether the mapping makes pseudonyms (and so needs the installation's secret). */
export function mappingUsesPseudonyms(mapping: Mapping): boolean {
  return mapping.parts.some((p) => p.columns.some(([, rule]) => rule.pseudonym !== undefined));
}

/** Reads the sources of the paths: every CSV file and every sheet of every workbook. */
export function readSources(paths: string[], limits: WorkbookLimits): { sources: Source[]; problems: Problem[]; warnings: string[] } {
  const found = findSourceFiles(paths);
  const sources: Source[] = [];
  const problems = [...found.problems];
  for (const path of found.files) {
    const read = readSourceFile(path, limits);
    sources.push(...read.sources);
    problems.push(...read.problems);
  }
  return { sources, problems, warnings: found.warnings };
}

/** The mapping of a workbook in the export format: each sheet named after a table, each column after a column. */
export function identityMapping(sources: Source[]): Mapping {
  const parts: Mapping["parts"] = [];
  for (const table of TABLES) {
    const source = sources.find((s) => headerKey(s.sheet ?? s.file.name.replace(/\.[^.]*$/, "")) === table);
    if (!source) continue;
    const headers = new Set(source.headers.map(headerKey));
    parts.push({
      table,
      path: `sheet ${table}`,
      source: source.sheet ?? source.file.name,
      repeat: null,
      skipIfEmpty: [],
      optional: false,
      columns: tableSpec(table).columns.filter((c) => headers.has(c.name)).map((c) => [c.name, { from: c.name }]),
    });
  }
  return { name: "export format", description: null, parts };
}

function emptyResult(problems: Problem[], warnings: string[]): IngestResult {
  const rowCounts: IngestResult["rowCounts"] = {};
  for (const t of TABLES) rowCounts[t] = { before: 0, after: 0 };
  return { outcome: "invalid", importId: null, programs: [], rowCounts, problems, warnings };
}

/**
 * One table written as a UTF-8, `,`-delimited CSV file, record by record; keeps each record's first
 * physical line. Each record is one string, appended to a buffer written by the megabyte (an array
 * of every field, joined at each write, was a quarter of the JavaScript time of the mapped import
 * at 200,000 participants; bench/ingest-mapped went from 1.83× to 1.69× the native import).
 */
class CsvSink implements TableSink {
  readonly lines: number[] = [];
  private readonly fd: number;
  private buffer: string;
  private line = 2;
  constructor(path: string, columns: string[]) {
    this.fd = openSync(path, "w");
    this.buffer = columns.join(",") + "\n";
  }
  add(row: (string | null)[]): void {
    this.lines.push(this.line);
    let record = "";
    for (let i = 0; i < row.length; i++) {
      if (i > 0) record += ",";
      const v = row[i];
      if (v === null) continue;
      if (QUOTE.test(v)) {
        record += `"${v.replaceAll('"', '""')}"`;
        for (let k = v.indexOf("\n"); k !== -1; k = v.indexOf("\n", k + 1)) this.line++;
      } else record += v;
    }
    this.buffer += record + "\n";
    this.line++;
    if (this.buffer.length > 1 << 20) this.flush();
  }
  private flush(): void {
    writeSync(this.fd, this.buffer);
    this.buffer = "";
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
const QUOTE = /[,"\r\n]/;

/** The record whose first line is `line` (or that spans it). */
function recordAtLine(lines: number[], line: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid] <= line) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * Validates and imports the user's files through a mapping. Mapping problems (and files that
 * cannot be read) end it before the database sees anything; otherwise the result is the import's,
 * with every problem about the user's own files.
 */
export async function ingestMapped(db: Db, paths: string[], options: MappedIngestOptions): Promise<IngestResult & { mapped: MappedExport | null }> {
  const { mapping: given, secret, limits, inDuckDb: _inDuckDb, ...ingestOptions } = options;
  // CSV files through a mapping: in DuckDB when it can (it gives up on any problem, which this path reports).
  if (given && options.inDuckDb !== false) {
    const done = await ingestMappedInDuckDb(db, paths, given, ingestOptions);
    if (done) return { ...done, mapped: null };
  }
  const read = readSources(paths, limits);
  if (read.problems.length > 0) return { ...emptyResult(read.problems, read.warnings), mapped: null };
  const mapping = given ?? { mapping: identityMapping(read.sources), name: paths.map((p) => basename(p)).join(", ") };
  const dir = mkdtempSync(join(tmpdir(), "binome-mapped-"));
  try {
    // Tables that are not deduplicated are written as their records are made.
    const hasPart = new Set(mapping.mapping.parts.map((p) => p.table));
    const sinks = new Map<TableName, CsvSink>();
    const sinkFor = (table: TableName) => {
      if (!hasPart.has(table)) return null;
      const sink = new CsvSink(join(dir, `${table}.csv`), tableSpec(table).columns.map((c) => c.name));
      sinks.set(table, sink);
      return sink;
    };
    let mapped: MappedExport;
    try {
      mapped = applyMapping(mapping.mapping, read.sources, secret, mapping.name, sinkFor);
    } finally {
      for (const sink of sinks.values()) sink.close();
    }
    const warnings = [...read.warnings, ...mapped.warnings];
    if (mapped.problems.length > 0) return { ...emptyResult(mapped.problems, warnings), mapped };
    const lines = new Map<TableName, number[]>();
    for (const table of TABLES) {
      if (!hasPart.has(table)) continue;
      const t = mapped.tables.get(table)!;
      if (t.streamed) {
        lines.set(table, sinks.get(table)!.lines);
        continue;
      }
      const sink = new CsvSink(join(dir, `${table}.csv`), t.columns);
      for (const row of t.rows) sink.add(row);
      sink.close();
      lines.set(table, sink.lines);
    }
    const result = await ingestExport(db, [dir], { ...ingestOptions, logPaths: paths, logFiles: sourceFilesLog(read.sources) });
    const problems = result.problems.map((p) => translate(p, mapped, lines, mapping.name));
    return { ...result, problems, warnings: [...warnings, ...result.warnings], mapped };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sourceFilesLog(sources: Source[]): { file: string; format: string; bytes: number; sha256: string }[] {
  const seen = new Map<string, { file: string; format: string; bytes: number; sha256: string }>();
  for (const s of sources) seen.set(s.file.path, { file: s.file.name, format: s.file.kind, bytes: s.file.bytes, sha256: s.file.sha256 });
  return [...seen.values()];
}

/**
 * The import's message in the user's words: a column of the format (`matched_at`) becomes the
 * header it came from, a table (`in pairs`) the sheets or files it came from.
 */
function userWords(message: string, table: TableName, labels: Map<string, string>, mapped: MappedExport): string {
  const header = (column: string): string | null => {
    const own = mapped.words.get(table)!.headers.get(column);
    if (own !== undefined && labels.has(column)) return own;
    for (const t of TABLES) {
      const h = mapped.words.get(t)!.headers.get(column);
      if (h !== undefined) return h;
    }
    return null;
  };
  return message
    .replace(/\b(?:in|see) (programs|organizations|participants|topics|pairs|meetings|pair_topics|evaluations|costs)\b/g, (whole, t: TableName) => {
      const names = mapped.words.get(t)?.sources ?? [];
      return names.length ? `${whole.split(" ")[0]} ${names.join(" and ")}` : whole;
    })
    .replace(/\b[a-z]+(?:_[a-z]+)+\b/g, (word) => {
      const h = header(word);
      return h === null ? word : JSON.stringify(h);
    });
}

/** A problem of the written export, about the user's file: its file, line or row, and header. */
function translate(p: Problem, mapped: MappedExport, lines: Map<TableName, number[]>, mappingName: string): Problem {
  const table = TABLES.find((t) => p.file === `${t}.csv` || p.file === t);
  if (!table) return p;
  const starts = lines.get(table);
  const t = mapped.tables.get(table)!;
  const locate = (line: number) => {
    if (!starts || line < 2) return null;
    const rec = recordAtLine(starts, line);
    return t.origins.get(rec);
  };
  const origin = p.line !== null ? locate(p.line) : null;
  if (!origin) {
    // About the table as a whole (a table left empty, …): named by the mapping.
    return { ...p, file: `${mappingName} (${table})`, line: null, row: null };
  }
  const source = mapped.sources[origin.source];
  const labels = mapped.labels[origin.labels];
  const column = p.column === null ? null : labels.get(p.column) ?? `${p.column} (not in the mapping)`;
  // "first on line 12" names a record of the written file: name the user's instead.
  let message = p.message.replace(/\bline (\d+)(?: of ([^\s)]+))?/g, (whole, n: string, file?: string) => {
    const other = file ? TABLES.find((x) => file === `${x}.csv`) : table;
    if (!other) return whole;
    const o = other === table ? locate(Number(n)) : null;
    if (!o) return whole;
    const s = mapped.sources[o.source];
    const at = `${s.sheet === null ? "line" : "row"} ${o.at}`;
    return s === source ? at : `${at} of ${s.display}`;
  });
  message = userWords(message, table, labels, mapped);
  return source.sheet === null
    ? { ...p, file: source.display, line: origin.at, row: null, column, message }
    : { ...p, file: source.display, line: null, row: origin.at, column, message };
}

