/**
 * The one module that builds SQL text. Every other statement is a file under `sql/`, loaded
 * with `loadSql`; a statement is built here only when it must name something known at run
 * time: a table of a list (per program table, per snapshot table, per table of a file), a
 * column of an export's spec, an attached database, a path in a statement that takes no
 * parameters (ATTACH, EXPORT and IMPORT DATABASE). Names and literals go through `ident` and
 * `literal`, the only quoting in the code; values from people or files are never written into
 * the text: they are parameters (`$name`).
 *
 * The module depends on nothing of the domain: what a builder needs of a table or a column is
 * described by the small structural types below (the ingest spec's `TableSpec` fits them).
 */

/** Quotes an identifier (table, column, catalog): `"name"`, inner quotes doubled. */
export function ident(name: string): string {
  if (name.length === 0 || name.includes("\u0000")) throw new Error(`not an identifier: ${JSON.stringify(name)}`);
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal: `'value'`, inner quotes doubled. For statements that take no parameters. */
export function literal(value: string): string {
  if (value.includes("\u0000")) throw new Error(`not a string literal: ${JSON.stringify(value)}`);
  return `'${value.replaceAll("'", "''")}'`;
}

/** A type name from a DuckDB catalog (e.g. `VARCHAR`, `DECIMAL(18,2)`, `VARCHAR[]`). */
function typeName(type: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_ ,()[\]]*$/.test(type)) throw new Error(`not a type name: ${JSON.stringify(type)}`);
  return type;
}

// ---------------------------------------------------------------------------------------------
// Tables by name: counts, program rows, undo snapshots, schema upgrades.

/** `select count(*) as n` of a table (of `catalog`'s `main` schema when given). */
export function countRowsSql(table: string, catalog?: string): string {
  return `select count(*) as n from ${catalog === undefined ? "" : `${ident(catalog)}.main.`}${ident(table)}`;
}

/** The rows of a program in one of its tables ($program_id). */
export const programRowsSql = {
  count: (table: string) => `select count(*) as n from ${ident(table)} where program_id = $program_id`,
  delete: (table: string) => `delete from ${ident(table)} where program_id = $program_id`,
};

/** An undo snapshot of a program table, in `snapshotTable` ($id: the snapshot; $program_id). */
export const snapshotRowsSql = {
  copy: (table: string, snapshotTable: string) =>
    `insert into ${ident(snapshotTable)} by name select $id::integer as snapshot_id, * from ${ident(table)} where program_id = $program_id`,
  count: (snapshotTable: string) => `select count(*) as n from ${ident(snapshotTable)} where snapshot_id = $id`,
  delete: (snapshotTable: string) => `delete from ${ident(snapshotTable)} where snapshot_id = $id`,
  restore: (table: string, snapshotTable: string) =>
    `insert into ${ident(table)} by name select * exclude (snapshot_id) from ${ident(snapshotTable)} where snapshot_id = $id`,
};

/** Schema upgrades of an older file (analytics/ops/migrate.server.ts). */
export const upgradeSql = {
  dropTable: (table: string) => `drop table ${ident(table)}`,
  addColumn: (table: string, column: string, type: string) => `alter table ${ident(table)} add column ${ident(column)} ${typeName(type)}`,
};

// ---------------------------------------------------------------------------------------------
// Whole databases: files attached, exported, imported; settings.

export const databaseSql = {
  attach: (path: string, alias: string) => `attach ${literal(path)} as ${ident(alias)}`,
  detach: (alias: string) => `detach ${ident(alias)}`,
  checkpoint: (alias: string) => `checkpoint ${ident(alias)}`,
  copyInto: (from: string, to: string) => `copy from database ${ident(from)} to ${ident(to)}`,
  exportParquet: (dir: string) => `export database ${literal(dir)} (format parquet)`,
  import: (dir: string) => `import database ${literal(dir)}`,
  /** The rebuilt copy's own state: no rebuild pending, rebuilt now (UTC). */
  markRebuilt: (alias: string) => [
    `delete from ${ident(alias)}.main.ops_state where state_key in ('rebuild_needed_since', 'rebuilt_at')`,
    `insert into ${ident(alias)}.main.ops_state values ('rebuilt_at', strftime(timezone('UTC', current_timestamp), '%Y-%m-%d %H:%M:%S'))`,
  ],
  /** A plain table read from a CSV file ($path), types sniffed (the ingest benchmark's baseline). */
  tableFromCsv: (table: string) => `create table ${ident(table)} as select * from read_csv($path)`,
  setThreads: (threads: number) => {
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`not a thread count: ${threads}`);
    return `set threads = ${threads}`;
  },
};

// ---------------------------------------------------------------------------------------------
// Ingest: staging an export's files and checking them, per table and column of the spec
// (analytics/ingest/spec.ts). Only the spec's constants are written into the text.

/** How an export's column is read and typed (the ingest spec's `ColumnSpec.kind`). */
export type SqlColumnKind =
  | "id" // trimmed string
  | "text" // trimmed string, free text
  | "integer" // whole number, `.`/`,` decimal mark and space thousands accepted
  | "decimal" // number with `.` or `,` as decimal mark
  | "date" // ISO or day-first French, time part dropped
  | "choice" // one of `choices`, trimmed and case-insensitive, with `aliases`
  | "boolean" // yes/no, oui/non, true/false
  | "list" // `|`-separated strings
  | "currency"; // ISO 4217 code, three letters

/** What the ingest SQL reads of a column of the spec (`ColumnSpec` extends it with its docs). */
export interface SqlColumn {
  readonly name: string;
  readonly kind: SqlColumnKind;
  readonly required: boolean;
  /** Canonical stored values (choice). */
  readonly choices?: readonly string[];
  /** Other spellings accepted, lower-case, mapped to a canonical value. */
  readonly aliases?: Readonly<Record<string, string>>;
  readonly min?: number;
  readonly max?: number;
  /**
   * A rule the (trimmed) value must follow, as a regular expression body matched in full by
   * DuckDB (`regexp_full_match`), and the message of a value that does not.
   */
  readonly pattern?: { readonly regex: string; readonly message: string };
  /** Value used when the column is absent or the cell empty (then the column is optional). */
  readonly defaultValue?: string;
}

/** What the ingest SQL needs of a table of the spec. */
export interface SqlTable {
  readonly name: string;
  readonly columns: readonly SqlColumn[];
  readonly uniqueKey?: readonly string[];
}

/** The words the spec reads as yes and no, and the message of a value of a column that does not parse. */
export interface IngestVocabulary {
  readonly trueWords: readonly string[];
  readonly falseWords: readonly string[];
  readonly typeMessage: (column: SqlColumn) => string;
}

/** The staged table of one file: trimmed raw values and typed values, in record order. */
export const dataTable = (table: string) => ident(`ingest_data_${table}`);
/** The same with the record index as `rec` (its rowid): what the checks and inserts read. */
export const typTable = (table: string) => ident(`ingest_typ_${table}`);
/** A JSON file's objects, before they are mapped to the spec's columns. */
export const jsonTable = (table: string) => ident(`ingest_json_${table}`);

/** Whether a column has a typed value distinct from its trimmed text (all but ids and text). */
export const keepsRaw = (column: SqlColumn) => column.kind !== "id" && column.kind !== "text";
/** Whether a value of this column can fail to parse (`<col>__bad`). */
const canBeBad = (column: SqlColumn) => keepsRaw(column) && column.kind !== "list";

/** The select list mapping a file's columns (by position) to the spec's, null for the ones it lacks. */
function selectMapped(spec: SqlTable, positions: Map<string, number>, source: (position: number) => string): string {
  return spec.columns
    .map((c) => {
      const position = positions.get(c.name);
      return position === undefined ? `null::varchar as ${ident(c.name)}` : `${source(position)} as ${ident(c.name)}`;
    })
    .join(", ");
}

/** The SQL expression typing one trimmed raw value (`raw` is a quoted column of ours). */
function typedExpression(column: SqlColumn, raw: string, words: IngestVocabulary): string {
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
      return `case ${raw} when 'yes' then true when 'no' then false else case when lower(${raw}) in (${words.trueWords.map(literal).join(", ")}) then true when lower(${raw}) in (${words.falseWords.map(literal).join(", ")}) then false end end`;
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

/**
 * Wraps a query of VARCHAR columns named after the spec into the typing query: the typed value
 * of every column and, for columns whose text can fail to parse, `<col>__bad`. With `keepRaw`,
 * the trimmed text too (`<col>__raw`), to quote values in problems: only the slower pass that
 * runs when an export has problems keeps it (it doubles the cost of staging a large file).
 * Fast paths first: most values are already in canonical form, and the slower parse (regular
 * expressions, lower-casing) runs only for the others.
 */
function typedSelect(spec: SqlTable, source: string, keepRaw: boolean, words: IngestVocabulary): string {
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
    .map((c) => (keepsRaw(c) ? `r.${ident(c.name)} as ${ident(`${c.name}__raw`)}, ${typedExpression(c, `r.${ident(c.name)}`, words)} as ${ident(c.name)}` : `r.${ident(c.name)}`))
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

/** The statements that stage a table's files into `dataTable(table)` and check them. */
export const stagingSql = {
  /** The empty staged table of a table, with the typed columns. */
  createData(spec: SqlTable, keepRaw: boolean, words: IngestVocabulary): string {
    const emptySelect = spec.columns.map((c) => `null::varchar as ${ident(c.name)}`).join(", ");
    return `create or replace temp table ${dataTable(spec.name)} as ${typedSelect(spec, `select ${emptySelect} limit 0`, keepRaw, words)}`;
  },

  /** Appends a CSV file ($path) whose header maps to the spec's columns as `positions`. */
  insertCsv(spec: SqlTable, positions: Map<string, number>, headerLength: number, delimiter: string, keepRaw: boolean, words: IngestVocabulary): string {
    const names = Array.from({ length: headerLength }, (_, i) => literal(`c${i}`)).join(", ");
    return `insert into ${dataTable(spec.name)}
     ${typedSelect(
       spec,
       `select ${selectMapped(spec, positions, (i) => ident(`c${i}`))}
        from read_csv($path, all_varchar = true, header = true, delim = ${literal(delimiter)}, quote = '"', escape = '"',
                      names = [${names}], store_rejects = true, auto_detect = true, null_padding = false)`,
       keepRaw,
       words,
     )}`;
  },

  /** Appends a Parquet file ($path) of the given column types, mapped as `positions`. */
  insertParquet(spec: SqlTable, positions: Map<string, number>, columnTypes: string[], keepRaw: boolean, words: IngestVocabulary): string {
    const inner = columnTypes.map((_, i) => `#${i + 1} as ${ident(`c${i}`)}`).join(", ");
    const source = (i: number) => (columnTypes[i].endsWith("[]") ? `array_to_string(${ident(`c${i}`)}, '|')` : `cast(${ident(`c${i}`)} as varchar)`);
    return `insert into ${dataTable(spec.name)}
     ${typedSelect(spec, `select ${selectMapped(spec, positions, source)} from (select ${inner} from read_parquet($path))`, keepRaw, words)}`;
  },

  /** Appends a temp view holding the spec's columns as text, in its order (a mapped import's table). */
  insertRelation(spec: SqlTable, relation: string, keepRaw: boolean, words: IngestVocabulary): string {
    const columns = spec.columns.map((c) => ident(c.name)).join(", ");
    return `insert into ${dataTable(spec.name)} ${typedSelect(spec, `select ${columns} from ${ident(relation)}`, keepRaw, words)}`;
  },

  /** Reads a JSON file's objects ($path) into `jsonTable(table)`. */
  readJson: (table: string, ndjson: boolean) =>
    `create or replace temp table ${jsonTable(table)} as select json from read_json_objects($path, format = ${ndjson ? "'newline_delimited'" : "'array'"})`,
  jsonNotObjects: (table: string) => `select rowid as rec from ${jsonTable(table)} where json_type(json) <> 'OBJECT' order by rowid limit 101`,
  jsonKeys: (table: string) => `select distinct unnest(json_keys(json)) as k from ${jsonTable(table)} where json_type(json) = 'OBJECT' order by k`,
  jsonCount: (table: string) => `select count(*) as n from ${jsonTable(table)}`,

  /** Appends the JSON objects, key `$k<position>` (a JSON path parameter) per mapped column. */
  insertJson(spec: SqlTable, positions: Map<string, number>, keepRaw: boolean, words: IngestVocabulary): string {
    const source = (i: number) =>
      `case when json_type(json, $k${i}) = 'ARRAY' then array_to_string(cast(json_extract(json, $k${i}) as varchar[]), '|') ` +
      `else json_extract_string(json, $k${i}) end`;
    return `insert into ${dataTable(spec.name)}
     ${typedSelect(spec, `select ${selectMapped(spec, positions, source)} from ${jsonTable(spec.name)} order by rowid`, keepRaw, words)}`;
  },

  countData: (table: string) => `select count(*) as n from ${dataTable(table)}`,

  /** The view the checks and inserts read: the record index, and `<col>__raw` (NULL when not kept). */
  typedView(spec: SqlTable, keepRaw: boolean): string {
    const nullRaw = keepRaw ? "" : spec.columns.filter(keepsRaw).map((c) => `, null::varchar as ${ident(`${c.name}__raw`)}`).join("");
    return `create or replace temp view ${typTable(spec.name)} as select rowid as rec, *${nullRaw} from ${dataTable(spec.name)}`;
  },

  /** The temp objects of one table, to drop after an import. */
  dropTable: (table: string) => [`drop view if exists ${typTable(table)}`, `drop table if exists ${dataTable(table)}`, `drop table if exists ${jsonTable(table)}`],
  dropJson: (table: string) => `drop table if exists ${jsonTable(table)}`,

  /**
   * The single-table checks of one table as one query of rows (rec, seq, column_name, message,
   * value, first_rec): missing values, types, allowed values, ranges, duplicate keys. Columns the
   * file lacks are skipped (the missing column is already reported).
   */
  columnChecks(spec: SqlTable, present: Set<string>, words: IngestVocabulary): string | null {
    const t = typTable(spec.name);
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
        parts.push(`select rec, ${seq + 1} as seq, ${name} as column_name, ${literal(words.typeMessage(c))} as message, ${raw} as value, null::bigint as first_rec from ${t} where ${bad}`);
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
  },

  /**
   * Files the problems of one check (`checkSql`, rows of rec, column_name, message, value,
   * first_rec, and seq unless `seq` gives it) as table $tbl's; `partOf` is the expression of
   * the file of a record (`rec`) among the table's files, from their first records.
   */
  insertProblems(checkSql: string, partStarts: number[], seq: string | null = null): string {
    const part = partStarts.length ? partStarts.map((start) => `(rec >= ${Math.trunc(start)})::integer`).join(" + ") : "0";
    return seq === null
      ? `insert into ingest_problems select $tbl, ${part}, rec, seq, column_name, message, value, first_rec from (${checkSql})`
      : `insert into ingest_problems select distinct $tbl, ${part}, rec, ${seq}, column_name, message, value, first_rec from (${checkSql})`;
  },

  /** The order of a cross-table check's problems within a record: the spec's column order, then the check's. */
  crossCheckSeq(spec: SqlTable, checkIndex: number): string {
    return `case column_name ${spec.columns.map((c, k) => `when ${literal(c.name)} then ${k * 10 + 5}`).join(" ")} else ${1000 + checkIndex} end`;
  },
};

/** Counts of the rows of an export (in its staged tables) and of the database, per program and table. */
export const ingestCountsSql = {
  /** Stored rows per program of the export. */
  storedPerProgram: (table: string) =>
    `select program_id, count(*) as n from ${ident(table)} where program_id in (select program_id from ${typTable("programs")} where program_id is not null) group by all`,
  /** Staged rows (one program: all its). */
  staged: (table: string) => `select count(*) as n from ${typTable(table)}`,
  /** Staged rows of a pair-scoped table per program of their pairs. */
  stagedPerPairProgram: (table: string) =>
    `select p.program_id, count(*) as n from ${typTable(table)} t join ${typTable("pairs")} p on p.pair_id = t.pair_id where p.program_id is not null group by all`,
  stagedPerProgram: (table: string) => `select program_id, count(*) as n from ${typTable(table)} where program_id is not null group by all`,
  /** Stored rows of some programs ($programs, a JSON list). */
  storedOfPrograms: (table: string) => `select count(*) as n from ${ident(table)} where list_contains($programs::varchar[], program_id)`,
  /** Deletes the stored rows of the export's programs, before the export's are written. */
  deleteExportPrograms: (table: string) => `delete from ${ident(table)} where program_id in (select program_id from ${typTable("programs")})`,
};

// ---------------------------------------------------------------------------------------------
// A mapped import of CSV files (analytics/ingest/mapping/duckdb.server.ts): the user's files read
// as text, a mapping's rules applied, each table of the format made as a temp table of text.

/** How a target column of a mapped table is made from a source row `s`. */
export type MappedColumnSql =
  | { kind: "null" }
  /** A value of the mapping (a constant): the column `name` of the constants table. */
  | { kind: "constant"; name: string }
  /** A source column, trimmed as JavaScript trims (of spaces, when its file has no other whitespace); empty: the constant `fallback` (a default), or NULL. */
  | { kind: "plain"; position: number; fallback: string | null; spacesOnly: boolean }
  /** A source column's value looked up in `lookup` (raw → value): a derivation made once per distinct text. */
  | { kind: "lookup"; position: number; lookup: string };

/** One part (one repetition of it) of a mapped table: a source temp table, its rank in the table's order, its columns. */
export interface MappedPartSql {
  source: string;
  /** The source's rank among the sources, and the part's (repetition's) rank within the source's row. */
  sourceRank: number;
  rank: number;
  columns: MappedColumnSql[];
  /** Target indexes that, when all empty, skip the row. */
  skip: number[];
}

const sourceColumn = (position: number) => ident(`c${Math.trunc(position)}`);

/** The whitespace JavaScript's `trim` removes, as a column of the constants table. */
export const WHITESPACE_CONSTANT = "ws";

function mappedPartSelect(part: MappedPartSql, targets: string[], constants: string): string {
  const joins: string[] = [];
  const constant = (name: string) => `(select ${ident(name)} from ${ident(constants)})`;
  const columns = part.columns.map((c, i) => {
    const as = ident(targets[i]);
    switch (c.kind) {
      case "null":
        return `null::varchar as ${as}`;
      case "constant":
        return `${constant(c.name)} as ${as}`;
      case "plain": {
        const v = `s.${sourceColumn(c.position)}`;
        // As in typedSelect: test the two ends rather than copy every string.
        const value = c.spacesOnly
          ? `nullif(case when starts_with(${v}, ' ') or ends_with(${v}, ' ') then trim(${v}) else ${v} end, '')`
          : `nullif(trim(${v}, ${constant(WHITESPACE_CONSTANT)}), '')`;
        return `${c.fallback === null ? value : `coalesce(${value}, ${constant(c.fallback)})`} as ${as}`;
      }
      case "lookup": {
        const alias = ident(`l${i}`);
        joins.push(`left join ${ident(c.lookup)} ${alias} on ${alias}.raw = coalesce(s.${sourceColumn(c.position)}, '')`);
        return `${alias}.value as ${as}`;
      }
    }
  });
  // The order of applyMapping's records: source, row, then part and repetition.
  const ord = `(${Math.trunc(part.sourceRank)}::bigint * 4294967296 + s.rowid) * 4096 + ${Math.trunc(part.rank)}`;
  const select = `select ${ord} as ord, ${columns.join(", ")} from ${ident(part.source)} s ${joins.join(" ")}`;
  if (part.skip.length === 0) return select;
  return `select * from (${select}) where not (${part.skip.map((i) => `${ident(targets[i])} is null`).join(" and ")})`;
}

function mappedUnion(targets: string[], parts: MappedPartSql[], constants: string): string {
  return parts.length
    ? parts.map((p) => mappedPartSelect(p, targets, constants)).join(" union all ")
    : `select null::bigint as ord, ${targets.map((t) => `null::varchar as ${ident(t)}`).join(", ")} limit 0`;
}

export const mappingSql = {
  /**
   * A user's CSV file ($path) as text columns c0…, one row per record in file order; its bad
   * records go to DuckDB's reject tables. Only the columns at `used` are kept (every record is
   * still read whole and checked).
   */
  readSource: (table: string, columns: number, delimiter: string, encoding: "utf-8" | "latin-1", used: number[]) => {
    const types = Array.from({ length: columns }, (_, i) => `${literal(`c${i}`)}: 'VARCHAR'`).join(", ");
    const kept = used.length ? [...used].sort((a, b) => a - b).map(sourceColumn).join(", ") : sourceColumn(0);
    return `create or replace temp table ${ident(table)} as select ${kept} from read_csv($path, header = true, auto_detect = false, columns = {${types}},
      delim = ${literal(delimiter)}, quote = '"', escape = '"', store_rejects = true, null_padding = false, encoding = ${literal(encoding)})`;
  },
  /** The mapping's constants (parameters `$name`) as the one row of a table, for the views to read. */
  createConstants: (table: string, names: string[]) =>
    `create or replace temp table ${ident(table)} as select ${names.map((n) => `$${n.replace(/\W/g, "")}::varchar as ${ident(n)}`).join(", ")}`,
  /** The distinct texts of groups of columns of a source (an empty field as ''): rows (g, v). One scan per column (faster than unnesting them). */
  distinctValues: (table: string, groups: number[][]) =>
    `select distinct g, coalesce(v, '') as v from (${groups
      .flatMap((positions, g) => positions.map((p) => `select ${Math.trunc(g)} as g, ${sourceColumn(p)} as v from ${ident(table)}`))
      .join(" union all ")})`,
  createLookup: (table: string) => `create or replace temp table ${ident(table)} (raw varchar, value varchar)`,
  /** A table's records as a view, in applyMapping's order. */
  createView: (view: string, targets: string[], parts: MappedPartSql[], constants: string) =>
    `create or replace temp view ${ident(view)} as select ${targets.map(ident).join(", ")} from (${mappedUnion(targets, parts, constants)}) order by ord`,
  /** A table's records in any order, with their `ord`, as a view read once, to deduplicate them. */
  createRows: (view: string, targets: string[], parts: MappedPartSql[], constants: string) =>
    `create or replace temp view ${ident(view)} as ${mappedUnion(targets, parts, constants)}`,
  /**
   * The records deduplicated: those with a key (`keys`, all present) grouped by it, at the place
   * of the first, with their values (any one: they must agree), and whether two of them disagree
   * on a column (`conflict`, by the values' hashes); those without a key each on their own.
   */
  createKeyed(table: string, rows: string, targets: string[], keys: string[]): string {
    const others = targets.filter((t) => !keys.includes(t));
    const unkeyed = keys.map((k) => `${ident(k)} is null`).join(" or ");
    const values = targets.map((t) => (keys.includes(t) ? ident(t) : `any_value(${ident(t)}) as ${ident(t)}`)).join(", ");
    const hashed = (t: string) => `case when ${ident(t)} is not null then hash(${ident(t)}) end`;
    const conflict = others.map((t) => `coalesce(min(${hashed(t)}) <> max(${hashed(t)}), false)`).join(" or ") || "false";
    return `create or replace temp table ${ident(table)} as select min(ord) as ord, ${values}, ${conflict} as conflict
      from ${ident(rows)} group by ${keys.map(ident).join(", ")}, case when ${unkeyed} then ord end`;
  },
  /** How many keys have records that disagree. */
  keyConflicts: (keyedTable: string) => `select count(*) as n from ${ident(keyedTable)} where conflict`,
  /** The view of the deduplicated records, in order. */
  createDeduplicated(view: string, keyedTable: string, targets: string[]): string {
    return `create or replace temp view ${ident(view)} as select ${targets.map(ident).join(", ")} from ${ident(keyedTable)} order by ord`;
  },
  dropTable: (table: string) => `drop table if exists ${ident(table)}`,
  dropView: (view: string) => `drop view if exists ${ident(view)}`,
};
