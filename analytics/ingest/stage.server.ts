import type { Db } from "../db/database.server.ts";
import type { PreparedFile } from "./files.server.ts";
import { findUnterminatedQuote } from "./lines.ts";
import { fileProblem, type Problem } from "./problems.ts";
import { PERSONAL_COLUMN, TABLES, FALSE_WORDS, TRUE_WORDS, tableSpec, type ColumnSpec, type TableName, type TableSpec } from "./spec.ts";

/**
 * Staging: every file, whatever its format, is read in one pass into a temp table
 * `ingest_data_<table>`, in record order: every value is first cast to VARCHAR and trimmed (NULL
 * when the file lacks the column), so that one set-based validation serves CSV, Parquet and JSON;
 * columns with a type keep that trimmed text as `<col>__raw` (to quote it in problems) next to
 * the typed value. The view `ingest_typ_<table>` adds the record index (`rec`).
 *
 * SQL text here is built only from the constants of spec.ts (identifiers, allowed values); paths
 * and JSON keys from the files are always parameters.
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

/** The staged table of one file: trimmed raw values and typed values, in record order. */
export const dataTable = (table: TableName) => ident(`ingest_data_${table}`);
/** The same with the record index as `rec` (its rowid): what the checks and inserts read. */
export const typTable = (table: TableName) => ident(`ingest_typ_${table}`);

/** Quotes an identifier from our own constants. */
export function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not an identifier of ours: ${name}`);
  return `"${name}"`;
}

/** Quotes a string literal from our own constants. */
function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

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
      warnings.push(`${file.name}: column ${JSON.stringify(raw)} looks like names or e-mail addresses: never stored`);
    } else {
      warnings.push(`${file.name}: unknown column ${JSON.stringify(raw)} ignored`);
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
  const emptySelect = spec.columns.map((c) => `null::varchar as ${ident(c.name)}`).join(", ");
  await db.run(`create or replace temp table ${dataTable(table)} as ${typedSelect(spec, `select ${emptySelect} limit 0`, keepRaw)}`);
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
  await db.run(typedView(spec, keepRaw));
  return { staged, problems, warnings };
}

async function stageFile(db: Db, spec: TableSpec, file: PreparedFile, start: number, keepRaw: boolean): Promise<PartOutcome> {
  try {
    if (file.format === "csv") return await stageCsv(db, spec, file, start, keepRaw);
    if (file.format === "parquet") return await stageParquet(db, spec, file, start, keepRaw);
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

function selectMapped(spec: TableSpec, positions: Map<string, number>, source: (position: number) => string): string {
  return spec.columns
    .map((c) => {
      const position = positions.get(c.name);
      return position === undefined ? `null::varchar as ${ident(c.name)}` : `${source(position)} as ${ident(c.name)}`;
    })
    .join(", ");
}

async function finish(db: Db, spec: TableSpec, file: PreparedFile, start: number, mapped: ReturnType<typeof mapHeader>, rejects: CsvReject[]): Promise<PartOutcome> {
  const rows = await db.all<{ n: number }>(`select count(*) as n from ${dataTable(spec.name)}`);
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
  const names = header.map((_, i) => literal(`c${i}`)).join(", ");
  const delimiter = file.delimiter === "\t" ? "\\t" : file.delimiter === ";" ? ";" : ",";
  // The reject tables accumulate across scans; start each file with empty ones.
  await db.run("drop table if exists reject_errors");
  await db.run("drop table if exists reject_scans");
  await db.run(
    `insert into ${dataTable(spec.name)}
     ${typedSelect(
       spec,
       `select ${selectMapped(spec, mapped.positions, (i) => ident(`c${i}`))}
        from read_csv($path, all_varchar = true, header = true, delim = ${literal(delimiter)}, quote = '"', escape = '"',
                      names = [${names}], store_rejects = true, auto_detect = true, null_padding = false)`,
       keepRaw,
     )}`,
    { path: file.readPath },
  );
  // One problem per rejected record (DuckDB may report several errors for one record).
  const rejectRows = await db.all<{ line: number; byte: number; error_type: string; error_message: string }>(
    `select line, min(line_byte_position) as byte, first(error_type order by column_idx) as error_type,
            first(error_message order by column_idx) as error_message
     from reject_errors
     group by line
     order by line`,
  );
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
  const columns = await db.all<{ column_name: string; column_type: string }>(`describe select * from read_parquet($path)`, { path: file.readPath });
  const mapped = mapHeader(file, columns.map((c) => c.column_name), spec, null);
  const inner = columns.map((_, i) => `#${i + 1} as ${ident(`c${i}`)}`).join(", ");
  const source = (i: number) => (columns[i].column_type.endsWith("[]") ? `array_to_string(${ident(`c${i}`)}, '|')` : `cast(${ident(`c${i}`)} as varchar)`);
  await db.run(
    `insert into ${dataTable(spec.name)}
     ${typedSelect(spec, `select ${selectMapped(spec, mapped.positions, source)} from (select ${inner} from read_parquet($path))`, keepRaw)}`,
    { path: file.readPath },
  );
  return finish(db, spec, file, start, mapped, []);
}

async function stageJson(db: Db, spec: TableSpec, file: PreparedFile, start: number, keepRaw: boolean): Promise<PartOutcome> {
  const raw = ident(`ingest_json_${spec.name}`);
  const format = file.format === "ndjson" ? "'newline_delimited'" : "'array'";
  await db.run(`create or replace temp table ${raw} as select json from read_json_objects($path, format = ${format})`, { path: file.readPath });
  const problems: Problem[] = [];
  const notObjects = await db.all<{ rec: number }>(`select rowid as rec from ${raw} where json_type(json) <> 'OBJECT' order by rowid limit 101`);
  for (const { rec } of notObjects) problems.push({ file: file.name, line: null, row: Number(rec) + 1, column: null, message: "not a JSON object", value: null });
  const keys = await db.all<{ k: string }>(`select distinct unnest(json_keys(json)) as k from ${raw} where json_type(json) = 'OBJECT' order by k`);
  const names = keys.map((k) => k.k);
  const mapped = mapHeader(file, names, spec, null);
  const records = await db.all<{ n: number }>(`select count(*) as n from ${raw}`);
  // An empty array has no keys to check: it is zero rows, like a CSV header alone.
  if (Number(records[0].n) === 0) mapped.problems = mapped.problems.filter((p) => p.message !== "missing required column");
  const params: Record<string, string> = {};
  names.forEach((name, i) => (params[`k${i}`] = `$."${name.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`));
  const source = (i: number) =>
    `case when json_type(json, $k${i}) = 'ARRAY' then array_to_string(cast(json_extract(json, $k${i}) as varchar[]), '|') ` +
    `else json_extract_string(json, $k${i}) end`;
  const usedParams: Record<string, string> = {};
  for (const position of mapped.positions.values()) usedParams[`k${position}`] = params[`k${position}`];
  await db.run(
    `insert into ${dataTable(spec.name)}
     ${typedSelect(spec, `select ${selectMapped(spec, mapped.positions, source)} from ${raw} order by rowid`, keepRaw)}`,
    usedParams,
  );
  await db.run(`drop table if exists ${raw}`);
  const outcome = await finish(db, spec, file, start, mapped, []);
  outcome.problems.unshift(...problems);
  return outcome;
}

/** The SQL expression typing one trimmed raw value (`raw` is a quoted column of ours). */
function typedExpression(column: ColumnSpec, raw: string): string {
  switch (column.kind) {
    case "id":
    case "text":
      return raw;
    case "integer":
      // Plain digits (the usual case) cast directly; anything else takes the stricter parse.
      // (A regular expression is about 5× cheaper here than `translate`.)
      return `case when regexp_full_match(${raw}, '\\d{1,9}') then ${raw}::integer else ingest_integer(${raw}) end`;
    case "decimal": {
      const type = column.name === "amount" ? "decimal(18, 2)" : "double";
      // Digits with at most one inner `.` cast directly; anything else takes the stricter parse.
      const plain = `length(${raw}) <= 30 and regexp_full_match(${raw}, '\\d+(?:\\.\\d+)?')`;
      return `case when ${plain} then try_cast(${raw} as ${type}) else try_cast(ingest_number_text(${raw}) as ${type}) end`;
    }
    case "date":
      return `case when length(${raw}) = 10 and ${raw}[5] = '-' and ${raw}[8] = '-' then try_cast(${raw} as date) else ingest_date(${raw}) end`;
    case "currency":
      return `case when regexp_full_match(upper(${raw}), '[A-Z]{3}') then upper(${raw}) end`;
    case "boolean":
      return `case ${raw} when 'yes' then true when 'no' then false else case when lower(${raw}) in (${TRUE_WORDS.map(literal).join(", ")}) then true when lower(${raw}) in (${FALSE_WORDS.map(literal).join(", ")}) then false end end`;
    case "list":
      return `case when not contains(${raw}, ' ') and not contains(${raw}, '||') and not starts_with(${raw}, '|') and not ends_with(${raw}, '|') then string_split(${raw}, '|') else ingest_list(${raw}) end`;
    case "choice": {
      const cases = (column.choices ?? []).map((c) => `when ${literal(c.toLowerCase())} then ${literal(c)}`);
      for (const [alias, target] of Object.entries(column.aliases ?? {})) cases.push(`when ${literal(alias)} then ${literal(target)}`);
      const exact = (column.choices ?? []).map((c) => `when ${literal(c)} then ${literal(c)}`);
      return `case ${raw} ${exact.join(" ")} else case lower(${raw}) ${cases.join(" ")} end end`;
    }
  }
}

/** Whether a column has a typed value distinct from its trimmed text (all but ids and text). */
export const keepsRaw = (column: ColumnSpec) => column.kind !== "id" && column.kind !== "text";
/** Whether a value of this column can fail to parse (`<col>__bad`). */
const canBeBad = (column: ColumnSpec) => keepsRaw(column) && column.kind !== "list";

/**
 * Wraps a query of VARCHAR columns named after the spec into the typing query: the typed value
 * of every column and, for columns whose text can fail to parse, `<col>__bad`. With `keepRaw`,
 * the trimmed text too (`<col>__raw`), to quote values in problems: only the slower pass that
 * runs when an export has problems keeps it (it doubles the cost of staging a large file).
 * Fast paths first: most values are already in canonical form, and the slower parse (regular
 * expressions, lower-casing) runs only for the others.
 */
function typedSelect(spec: TableSpec, source: string, keepRaw: boolean): string {
  const trimmed = spec.columns
    .map((c) => {
      // Most values have no surrounding spaces: test the two ends (byte comparisons, cheaper than
      // `v[1]`, which extracts a character) rather than copy every string.
      const v = ident(c.name);
      const value = `nullif(case when starts_with(${v}, ' ') or ends_with(${v}, ' ') then trim(${v}) else ${v} end, '')`;
      return `${c.defaultValue === undefined ? value : `coalesce(${value}, ${literal(c.defaultValue)})`} as ${ident(c.name)}`;
    })
    .join(", ");
  const typed = spec.columns
    .map((c) => (keepsRaw(c) ? `r.${ident(c.name)} as ${ident(`${c.name}__raw`)}, ${typedExpression(c, `r.${ident(c.name)}`)} as ${ident(c.name)}` : `r.${ident(c.name)}`))
    .join(", ");
  const kept = spec.columns
    .flatMap((c) => {
      const col = ident(c.name);
      const raw = ident(`${c.name}__raw`);
      const out = [`m.${col}`];
      if (canBeBad(c)) out.push(`(m.${raw} is not null and m.${col} is null) as ${ident(`${c.name}__bad`)}`);
      if (keepRaw && keepsRaw(c)) out.push(`m.${raw}`);
      return out;
    })
    .join(", ");
  return `select ${kept} from (select ${typed} from (select ${trimmed} from (${source})) r) m`;
}

/** The view the checks and inserts read: the record index, and `<col>__raw` (NULL when not kept). */
function typedView(spec: TableSpec, keepRaw: boolean): string {
  const nullRaw = keepRaw ? "" : spec.columns.filter(keepsRaw).map((c) => `, null::varchar as ${ident(`${c.name}__raw`)}`).join("");
  return `create or replace temp view ${typTable(spec.name)} as select rowid as rec, *${nullRaw} from ${dataTable(spec.name)}`;
}

function typeMessage(column: ColumnSpec): string {
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

/**
 * The single-table checks of one table as one query of rows (rec, seq, column_name, message,
 * value, first_rec): missing values, types, allowed values, ranges, duplicate keys. Columns the
 * file lacks are skipped (the missing column is already reported).
 */
export function columnChecksSql(table: TableName, present: Set<string>): string | null {
  const spec = tableSpec(table);
  const t = typTable(table);
  const parts: string[] = [];
  spec.columns.forEach((c, i) => {
    if (!present.has(c.name) && c.defaultValue === undefined) return;
    const col = ident(c.name);
    const raw = keepsRaw(c) ? ident(`${c.name}__raw`) : col;
    const name = literal(c.name);
    const seq = i * 10;
    const bad = ident(`${c.name}__bad`);
    if (c.required) {
      const missing = canBeBad(c) ? `${col} is null and not ${bad}` : `${col} is null`;
      parts.push(`select rec, ${seq} as seq, ${name} as column_name, 'missing value' as message, null::varchar as value, null::bigint as first_rec from ${t} where ${missing}`);
    }
    if (canBeBad(c)) {
      parts.push(`select rec, ${seq + 1} as seq, ${name} as column_name, ${literal(typeMessage(c))} as message, ${raw} as value, null::bigint as first_rec from ${t} where ${bad}`);
    }
    if (c.min !== undefined && c.max !== undefined) {
      parts.push(
        `select rec, ${seq + 2} as seq, ${name} as column_name, ${literal(`out of range ${c.min}–${c.max}`)} as message, ${raw} as value, null::bigint as first_rec from ${t} where ${col} < ${c.min} or ${col} > ${c.max}`,
      );
    }
    if (c.pattern) {
      parts.push(
        `select rec, ${seq + 4} as seq, ${name} as column_name, ${literal(c.pattern.message)} as message, ${raw} as value, null::bigint as first_rec from ${t} where ${col} is not null and not regexp_full_match(${col}, ${literal(c.pattern.regex)})`,
      );
    }
  });
  const key = spec.uniqueKey;
  if (key && key.every((k) => present.has(k))) {
    const keyCols = key.map(ident).join(", ");
    const last = key[key.length - 1];
    const others = key.slice(0, -1);
    const message = others.length ? `duplicate for the same ${others.join(" and ")}, first on {first}` : "duplicate, first on {first}";
    const notNull = key.map((k) => `${ident(k)} is not null`).join(" and ");
    const seq = spec.columns.findIndex((c) => c.name === last) * 10 + 3;
    parts.push(
      `select t.rec, ${seq} as seq, ${literal(last)} as column_name, ${literal(message)} as message, t.${ident(last)} as value, d.first_rec
       from ${t} t
       join (select ${keyCols}, min(rec) as first_rec from ${t} where ${notNull} group by all having count(*) > 1) d using (${keyCols})
       where t.rec > d.first_rec`,
    );
  }
  // Every part names its columns: the first part of a union names them for all, and which part
  // comes first depends on the columns the file has (a CSV without its header line has none).
  return parts.length ? parts.join("\nunion all\n") : null;
}

export async function dropTempTables(db: Db): Promise<void> {
  for (const table of TABLES) {
    await db.run(`drop view if exists ${typTable(table)}`);
    await db.run(`drop table if exists ${dataTable(table)}`);
    await db.run(`drop table if exists ${ident(`ingest_json_${table}`)}`);
  }
  await db.run(`drop table if exists ingest_problems`);
  await db.run("drop table if exists reject_errors");
  await db.run("drop table if exists reject_scans");
}
