import type { Db } from "../db/database.server.ts";
import { stagingSql, type IngestVocabulary, type SqlColumn } from "../db/generated-sql.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import type { PreparedFile } from "./files.server.ts";
import { findUnterminatedQuote } from "./lines.ts";
import { fileProblem, quoteValue, type Problem } from "./problems.ts";
import { PERSONAL_COLUMN, TABLES, FALSE_WORDS, TRUE_WORDS, tableSpec, type TableName, type TableSpec } from "./spec.ts";

/**
 * Staging: every file, whatever its format, is read in one pass into a temp table
 * `ingest_data_<table>`, in record order: every value is first cast to VARCHAR and trimmed (NULL
 * when the file lacks the column), so that one set-based validation serves CSV, Parquet and JSON;
 * columns with a type keep that trimmed text as `<col>__raw` (to quote it in problems) next to
 * the typed value. The view `ingest_typ_<table>` adds the record index (`rec`).
 *
 * The statements are built in analytics/db/generated-sql.server.ts, only from the constants of
 * spec.ts (identifiers, allowed values); paths and JSON keys from the files are always parameters.
 */

export interface CsvReject {
  /** DuckDB's byte position of the record (or of the line break before it). */
  byte: number;
  duckLine: number;
  column: string | null;
  message: string;
}

/** One file of a table (an export of several folders may give a table several files). */
export interface StagedPart {
  file: PreparedFile;
  /** Index of the part's first record in the table's temp table. */
  start: number;
  rows: number;
  /** Columns of the format the file has. */
  present: Set<string>;
  /** Every required column is present. */
  complete: boolean;
  /** CSV records DuckDB could not read (too many / too few fields, …). */
  rejects: CsvReject[];
}

export interface StagedTable {
  table: TableName;
  parts: StagedPart[];
  /** Columns present in at least one file. */
  present: Set<string>;
  /** Every file has every required column: cross-file checks may use this table. */
  complete: boolean;
  rows: number;
}

/** The spec's words for yes and no and its messages, for the generated SQL. */
const VOCABULARY: IngestVocabulary = { trueWords: TRUE_WORDS, falseWords: FALSE_WORDS, typeMessage };

function mapHeader(
  file: PreparedFile,
  names: string[],
  spec: TableSpec,
  line: number | null,
): { positions: Map<string, number>; problems: Problem[]; warnings: string[] } {
  const positions = new Map<string, number>();
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const known = new Set(spec.columns.map((c) => c.name));
  names.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (known.has(name)) {
      if (positions.has(name)) problems.push(fileProblem(file.name, "column appears twice in the header", name, line));
      else positions.set(name, i);
    } else if (name === "") {
      warnings.push(`${file.name}: column ${i + 1} has no name: ignored`);
    } else if (PERSONAL_COLUMN.test(name)) {
      warnings.push(`${file.name}: column ${quoteValue(raw)} looks like names or e-mail addresses: never stored`);
    } else {
      warnings.push(`${file.name}: unknown column ${quoteValue(raw)} ignored`);
    }
  });
  for (const column of spec.columns) {
    if (column.required && column.defaultValue === undefined && !positions.has(column.name)) {
      problems.push(fileProblem(file.name, "missing required column", column.name, line));
    }
  }
  return { positions, problems, warnings };
}

export interface StageOutcome {
  staged: StagedTable;
  problems: Problem[];
  warnings: string[];
}

interface PartOutcome {
  part: StagedPart | null;
  problems: Problem[];
  warnings: string[];
}

/** Stages one table: its files one after the other, or no rows when the (optional) file is absent. */
export async function stageTable(db: Db, table: TableName, files: PreparedFile[], keepRaw = false): Promise<StageOutcome> {
  const spec = tableSpec(table);
  await db.run(stagingSql.createData(spec, keepRaw, VOCABULARY));
  const staged: StagedTable = { table, parts: [], present: new Set(), complete: true, rows: 0 };
  const problems: Problem[] = [];
  const warnings: string[] = [];
  for (const file of files) {
    const outcome = await stageFile(db, spec, file, staged.rows, keepRaw);
    problems.push(...outcome.problems);
    warnings.push(...outcome.warnings);
    if (!outcome.part) {
      staged.complete = false;
      continue;
    }
    staged.parts.push(outcome.part);
    staged.rows += outcome.part.rows;
    for (const c of outcome.part.present) staged.present.add(c);
    if (!outcome.part.complete) staged.complete = false;
  }
  await db.run(stagingSql.typedView(spec, keepRaw));
  return { staged, problems, warnings };
}

async function stageFile(db: Db, spec: TableSpec, file: PreparedFile, start: number, keepRaw: boolean): Promise<PartOutcome> {
  try {
    if (file.format === "csv") return await stageCsv(db, spec, file, start, keepRaw);
    if (file.format === "parquet") return await stageParquet(db, spec, file, start, keepRaw);
    if (file.format === "relation") return await stageRelation(db, spec, file, start, keepRaw);
    return await stageJson(db, spec, file, start, keepRaw);
  } catch (error) {
    // DuckDB could not read the file at all. Its message names the server's (temporary) path and
    // its own internals: the problem names only the export file, and says what is wrong in the
    // person's terms. The commonest cause in CSV, a quote that never closes, is located here.
    if (file.format === "csv") {
      const line = await findUnterminatedQuote(file.readPath).catch(() => null);
      if (line !== null) {
        return { part: null, problems: [fileProblem(file.name, 'unterminated quoted field (a " opens here and never closes)', null, line)], warnings: [] };
      }
    }
    const what = file.format === "parquet" ? "not a readable Parquet file" : file.format === "csv" ? "cannot be read as CSV" : "not valid JSON";
    return { part: null, problems: [fileProblem(file.name, `${what}: ${describeReadError(error, file)}`)], warnings: [] };
  }
}

/**
 * DuckDB's message for a file it could not read, without the error class, the file's path on the
 * server (any path, e.g. of a converted copy) or the words of its CSV sniffer.
 */
export function describeReadError(error: unknown, file: { name: string; readPath: string; path?: string }): string {
  let message = (error instanceof Error ? error.message : String(error)).split("\n")[0].trim();
  message = message.replace(/^(?:[A-Za-z]+ )*Error: /, "");
  if (/sniff/i.test(message)) return "its records could not be recognised (check the delimiter, the quotes and the line breaks)";
  message = message.replace(/ (?:in|of) file (?:"[^"]*"|'[^']*'|\S+)/g, "");
  for (const path of [file.readPath, file.path]) if (path) message = message.replaceAll(path, file.name);
  // Any other absolute path (quoted, or a bare word starting with / or a drive letter).
  message = message.replace(/"(?:[A-Za-z]:)?[\\/][^"]*"|'(?:[A-Za-z]:)?[\\/][^']*'|(?<![^\s(=])(?:[A-Za-z]:)?[\\/][^\s"',;)]+/g, JSON.stringify(file.name));
  return message.replace(/\s+$/, "") || "unreadable";
}

async function finish(db: Db, spec: TableSpec, file: PreparedFile, start: number, mapped: ReturnType<typeof mapHeader>, rejects: CsvReject[]): Promise<PartOutcome> {
  const rows = await db.all<{ n: number }>(stagingSql.countData(spec.name));
  const complete = !mapped.problems.some((p) => p.message === "missing required column");
  return {
    part: { file, start, rows: Number(rows[0].n) - start, present: new Set(mapped.positions.keys()), complete, rejects },
    problems: mapped.problems,
    warnings: mapped.warnings,
  };
}

async function stageCsv(db: Db, spec: TableSpec, file: PreparedFile, start: number, keepRaw: boolean): Promise<PartOutcome> {
  const header = file.header ?? [];
  const mapped = mapHeader(file, header, spec, 1);
  const delimiter = file.delimiter === "\t" ? "\\t" : file.delimiter === ";" ? ";" : ",";
  // The reject tables accumulate across scans; start each file with empty ones.
  await db.run(loadSql("ingest/stage/drop_reject_errors"));
  await db.run(loadSql("ingest/stage/drop_reject_scans"));
  await db.run(stagingSql.insertCsv(spec, mapped.positions, header.length, delimiter, keepRaw, VOCABULARY), { path: file.readPath });
  // One problem per rejected record (DuckDB may report several errors for one record).
  const rejectRows = await db.all<{ line: number; byte: number; error_type: string; error_message: string }>(loadSql("ingest/stage/csv_rejects"));
  const rejects = rejectRows.map((r) => ({
    byte: Number(r.byte),
    duckLine: Number(r.line),
    column: null,
    message: describeReject(r.error_type, r.error_message),
  }));
  return finish(db, spec, file, start, mapped, rejects);
}

function describeReject(type: string, message: string): string {
  const counts = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  switch (type) {
    case "TOO MANY COLUMNS":
      return counts ? `too many fields (the header has ${counts[1]}, this record ${counts[2]})` : "too many fields";
    case "MISSING COLUMNS":
      return counts ? `too few fields (the header has ${counts[1]}, this record ${counts[2]})` : "too few fields";
    case "UNQUOTED VALUE":
      return 'badly quoted field (a quote inside a field must be doubled: "")';
    case "LINE SIZE OVER MAXIMUM":
      return "record too long";
    case "INVALID ENCODING":
    case "INVALID UNICODE":
      return "invalid characters";
    default:
      return `cannot be read: ${message.split("\n")[0]}`;
  }
}

async function stageParquet(db: Db, spec: TableSpec, file: PreparedFile, start: number, keepRaw: boolean): Promise<PartOutcome> {
  const columns = await db.all<{ column_name: string; column_type: string }>(loadSql("ingest/stage/parquet_columns"), { path: file.readPath });
  const mapped = mapHeader(file, columns.map((c) => c.column_name), spec, null);
  await db.run(stagingSql.insertParquet(spec, mapped.positions, columns.map((c) => c.column_type), keepRaw, VOCABULARY), { path: file.readPath });
  return finish(db, spec, file, start, mapped, []);
}

/** A temp table of the format's columns as text (a mapped import's table), staged like a file. */
async function stageRelation(db: Db, spec: TableSpec, file: PreparedFile, start: number, keepRaw: boolean): Promise<PartOutcome> {
  const mapped = mapHeader(file, spec.columns.map((c) => c.name), spec, null);
  await db.run(stagingSql.insertRelation(spec, file.readPath, keepRaw, VOCABULARY));
  return finish(db, spec, file, start, mapped, []);
}

async function stageJson(db: Db, spec: TableSpec, file: PreparedFile, start: number, keepRaw: boolean): Promise<PartOutcome> {
  await db.run(stagingSql.readJson(spec.name, file.format === "ndjson"), { path: file.readPath });
  const problems: Problem[] = [];
  const notObjects = await db.all<{ rec: number }>(stagingSql.jsonNotObjects(spec.name));
  for (const { rec } of notObjects) problems.push({ file: file.name, line: null, row: Number(rec) + 1, column: null, message: "not a JSON object", value: null });
  const keys = await db.all<{ k: string }>(stagingSql.jsonKeys(spec.name));
  const names = keys.map((k) => k.k);
  const mapped = mapHeader(file, names, spec, null);
  const records = await db.all<{ n: number }>(stagingSql.jsonCount(spec.name));
  // An empty array has no keys to check: it is zero rows, like a CSV header alone.
  if (Number(records[0].n) === 0) mapped.problems = mapped.problems.filter((p) => p.message !== "missing required column");
  const params: Record<string, string> = {};
  names.forEach((name, i) => (params[`k${i}`] = `$."${name.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`));
  const usedParams: Record<string, string> = {};
  for (const position of mapped.positions.values()) usedParams[`k${position}`] = params[`k${position}`];
  await db.run(stagingSql.insertJson(spec, mapped.positions, keepRaw, VOCABULARY), usedParams);
  await db.run(stagingSql.dropJson(spec.name));
  const outcome = await finish(db, spec, file, start, mapped, []);
  outcome.problems.unshift(...problems);
  return outcome;
}

function typeMessage(column: SqlColumn): string {
  switch (column.kind) {
    case "integer":
      return "not a whole number";
    case "decimal":
      return "not a number (decimal mark . or , and thousands separated by spaces only)";
    case "date":
      return "not a date (expected YYYY-MM-DD or DD/MM/YYYY)";
    case "currency":
      return "not a currency code (three letters, ISO 4217)";
    case "boolean":
      return "not yes or no (oui/non)";
    case "choice":
      return `not one of ${(column.choices ?? []).join(", ")}`;
    default:
      return "invalid value";
  }
}

/** The single-table checks of one table as one query of rows (see `stagingSql.columnChecks`). */
export function columnChecksSql(table: TableName, present: Set<string>): string | null {
  return stagingSql.columnChecks(tableSpec(table), present, VOCABULARY);
}

export async function dropTempTables(db: Db): Promise<void> {
  for (const table of TABLES) for (const statement of stagingSql.dropTable(table)) await db.run(statement);
  await db.run(loadSql("ingest/stage/drop_problems"));
  await db.run(loadSql("ingest/stage/drop_reject_errors"));
  await db.run(loadSql("ingest/stage/drop_reject_scans"));
}
