/**
 * A mapped import of CSV files done in DuckDB: the user's files read by DuckDB's CSV reader (all
 * columns as text), the mapping's rules applied in SQL, each table of the format made as a temp
 * table that the import stages like a file (`IngestOptions.relations`): no pass over the rows in
 * JavaScript, no export written. The rules keep applyMapping's meaning exactly: a derivation (a
 * value map, a date, a number, a year, a list) is applied by applyMapping's own code
 * (`textRule`), once per distinct text of its columns, and looked up by a join; a source column
 * is trimmed as JavaScript trims; participants, organizations and topics are deduplicated by
 * their key, at their first record, in applyMapping's order.
 *
 * This path never reports a problem itself. Whenever anything is not plainly right — a workbook,
 * a pseudonym, a record DuckDB rejects, a header that is not on line 1, a text a rule does not
 * take, a person repeated with other values, or any problem the import finds (its attempt then
 * leaves no trace in the imports log) — it gives up before anything is written, and the mapped
 * import runs through applyMapping, whose problems name the user's file, line, header and value.
 */
import { isUtf8 } from "node:buffer";
import { createHash, webcrypto } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, extname, join } from "node:path";
import type { Db } from "../../db/database.server.ts";
import { mappingSql, WHITESPACE_CONSTANT, type MappedColumnSql, type MappedPartSql } from "../../db/generated-sql.server.ts";
import { loadSql } from "../../db/sql-files.server.ts";
import { ingestExport, type IngestOptions, type IngestResult } from "../index.server.ts";
import { TABLES, tableSpec, type TableName } from "../spec.ts";
import { csvDelimiter, csvHeader, decodeWindows1252, scanCsvBytes, windows1252ToUtf8 } from "./csv.ts";
import type { ColumnRule, Mapping } from "./schema.ts";
import { findSourceFiles, type Source, type SourceFile } from "./sources.server.ts";
import { DEDUPLICATED, derives, planMapping, textRule, unusedColumnWarnings } from "./transform.ts";

/** What `String.prototype.trim` removes (WhiteSpace and LineTerminator), for DuckDB's `trim`. */
const JS_WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";

/** The header is looked for in the file's first bytes. */
const HEAD_BYTES = 1 << 16;

let calls = 0;

interface CsvFile {
  source: Source;
  /** The file's bytes, until `prepareCsv` has looked at them. */
  bytes: Buffer | null;
  utf8: boolean;
  /** What DuckDB reads: the user's file, or a UTF-8 copy of a Windows-1252 file that uses 0x80–0x9F (`prepareCsv`). */
  readPath: string;
  encoding: "utf-8" | "latin-1";
  delimiter: string;
  /**
   * The file holds no whitespace but spaces and line breaks between records: trimming its fields
   * of spaces is trimming them as JavaScript does (DuckDB's `trim` of a set of characters is
   * several times slower than its `trim` of spaces). Known after `prepareCsv`.
   */
  spacesOnly: boolean;
  /** The SHA-256 of the bytes, computed off the main thread (WebCrypto), for `source.file.sha256`. */
  sha256: Promise<string>;
}

/**
 * Reads a CSV file's header as `readSourceFile` does (encoding, delimiter, first record trimmed),
 * without reading its rows; null when the file is anything but plain (empty, NUL bytes, no header
 * on line 1, a header longer than the bytes looked at). The scans of the whole file wait for
 * `prepareCsv`, to run while DuckDB reads another file.
 */
function openCsv(path: string): CsvFile | null {
  const bytes = readFileSync(path);
  if (bytes.length === 0 || bytes.indexOf(0) !== -1) return null;
  const name = basename(path);
  const file: SourceFile = { path, name, kind: "csv", bytes: bytes.length, sha256: "" };
  const sha256 = webcrypto.subtle.digest("SHA-256", bytes).then((digest) => Buffer.from(digest).toString("hex"));
  const utf8 = isUtf8(bytes);
  let head: string;
  if (utf8) {
    head = bytes.subarray(0, HEAD_BYTES).toString("utf8");
    if (head.charCodeAt(0) === 0xfeff) head = head.slice(1);
  } else {
    // Windows-1252 (Latin-1 where the file does not use 0x80–0x9F).
    head = decodeWindows1252(bytes.subarray(0, HEAD_BYTES));
  }
  if (bytes.length > HEAD_BYTES) {
    const end = head.lastIndexOf("\n");
    if (end === -1) return null;
    head = head.slice(0, end);
  }
  const delimiter = csvDelimiter(head);
  const { header, line: headerAt } = csvHeader(head, delimiter);
  if (headerAt !== 1 || header.every((h) => h === "")) return null;
  const source: Source = {
    file,
    display: name,
    sheet: null,
    headers: header,
    headerAt,
    label: (i) => header[i] || `column ${i + 1}`,
    each: () => {
      throw new Error("the rows of a CSV file read by DuckDB are not read in JavaScript");
    },
    problems: [],
  };
  return { source, bytes, utf8, readPath: path, encoding: "utf-8", delimiter, spacesOnly: false, sha256 };
}

/** The scans of a whole file (whitespace, quoted line breaks, 0x80–0x9F) and its UTF-8 copy when DuckDB needs one. */
function prepareCsv(file: CsvFile, tempDir: string): CsvFile {
  const bytes = file.bytes;
  if (bytes === null) return file;
  file.bytes = null;
  const scan = scanCsvBytes(bytes, file.utf8);
  file.spacesOnly = !scan.otherWhitespace && !scan.quotedLineBreak && file.delimiter !== "\t";
  if (file.utf8) return file;
  if (scan.c1) {
    // Windows-1252 is Latin-1 but for 0x80–0x9F (€, œ, ’, …): DuckDB reads Latin-1 itself, and a copy in UTF-8 when those are used.
    file.readPath = join(tempDir, `${calls}-${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(file.readPath, windows1252ToUtf8(bytes));
  } else {
    file.encoding = "latin-1";
  }
  return file;
}

let cpu = process.cpuUsage();
const debug = (what: string, since: number) => {
  if (process.env.BINOME_DEBUG_MAPPED) {
    const used = process.cpuUsage(cpu);
    process.stderr.write(`mapped import in DuckDB: ${what} ${((performance.now() - since) / 1000).toFixed(2)} s, CPU ${((used.user + used.system) / 1e6).toFixed(2)} s\n`);
  }
  cpu = process.cpuUsage();
  return performance.now();
};

/** Gives up this path (BINOME_DEBUG_MAPPED=1 says why on stderr). */
function giveUp(why: string): null {
  if (process.env.BINOME_DEBUG_MAPPED) process.stderr.write(`mapped import in DuckDB: gave up (${why})\n`);
  return null;
}

/** A rule's derivation, whatever column it reads: rules alike share one lookup per source. */
const derivationKey = (rule: ColumnRule) => JSON.stringify({ ...rule, from: undefined });

/**
 * The mapped import in DuckDB, or null when this path does not apply or gives up (then nothing
 * is written and the imports log has no trace of it): the caller runs the import through
 * applyMapping.
 */
export async function ingestMappedInDuckDb(
  db: Db,
  paths: string[],
  mapping: { mapping: Mapping; name: string },
  ingestOptions: IngestOptions,
): Promise<IngestResult | null> {
  const found = findSourceFiles(paths);
  if (found.problems.length > 0 || found.files.length === 0) return giveUp("no files");
  if (found.files.some((f) => extname(f).toLowerCase() === ".xlsx")) return giveUp("a workbook");
  const tempDir = mkdtempSync(join(tmpdir(), "binome-mapped-sql-"));
  const call = ++calls;
  const temps: string[] = [];
  const views: string[] = [];
  let t = debug("start", performance.now());
  const temp = (what: string) => {
    const name = `mapping_${call}_${what}`;
    temps.push(name);
    return name;
  };
  try {
    const files: CsvFile[] = [];
    for (const path of found.files) {
      const file = openCsv(path);
      if (!file) return giveUp(`${basename(path)}: not a plain CSV file`);
      files.push(file);
    }
    t = debug("open files", t);
    const sources = files.map((f) => f.source);
    const plan = planMapping(mapping.mapping, sources, mapping.name);
    if (plan.out.problems.length > 0) return giveUp("the mapping names what the files lack");
    if (plan.parts.some((p) => p.reps.some((r) => r.rules.some((rule) => rule?.pseudonym !== undefined)))) return giveUp("pseudonyms");

    // The sources the parts read, in applyMapping's order (that of their first part), read by DuckDB.
    const order: Source[] = [];
    for (const p of plan.parts) if (!order.includes(p.source)) order.push(p.source);
    const tableOf = new Map<Source, string>();
    const fileOf = new Map(files.map((f) => [f.source, f]));
    for (const [rank, source] of order.entries()) {
      const file = prepareCsv(fileOf.get(source)!, tempDir);
      const table = temp(`source_${rank}`);
      tableOf.set(source, table);
      await db.run(loadSql("ingest/stage/drop_reject_errors"));
      await db.run(loadSql("ingest/stage/drop_reject_scans"));
      const reading = db.run(mappingSql.readSource(table, source.headers.length, file.delimiter, file.encoding, [...(plan.used.get(source) ?? [])]), { path: file.readPath });
      // While DuckDB reads this file (on its own threads), look at the next one.
      if (rank + 1 < order.length) prepareCsv(fileOf.get(order[rank + 1])!, tempDir);
      try {
        await reading;
      } catch (error) {
        return giveUp(`${source.display}: ${error instanceof Error ? error.message : String(error)}`);
      }
      const rejects = await db.all<{ n: number }>(loadSql("ingest/mapping/rejects_count"));
      if (Number(rejects[0].n) > 0) return giveUp(`${source.display}: rejected records`);
      t = debug(`read ${source.display} (${file.readPath === file.source.file.path ? file.encoding : "windows-1252 converted"}${file.spacesOnly ? ", spaces only" : ""})`, t);
    }

    // Derivations: each distinct text of the columns a derivation reads, derived by applyMapping's rule.
    const lookups = new Map<string, string>();
    for (const source of order) {
      const byKey = new Map<string, { rule: ColumnRule; positions: Set<number> }>();
      for (const p of plan.parts.filter((x) => x.source === source)) {
        for (const rep of p.reps) {
          rep.rules.forEach((rule, i) => {
            if (!rule || rule.const !== undefined || !derives(rule)) return;
            const key = derivationKey(rule);
            const entry = byKey.get(key) ?? { rule, positions: new Set<number>() };
            byKey.set(key, entry);
            entry.positions.add(rep.positions[i][0]);
          });
        }
      }
      if (byKey.size === 0) continue;
      const groups = [...byKey.values()];
      const values = await db.all<{ g: number; v: string }>(mappingSql.distinctValues(tableOf.get(source)!, groups.map((g) => [...g.positions])));
      for (const [g, { rule }] of groups.entries()) {
        const derive = textRule(rule, null);
        const lookup = temp(`lookup_${lookups.size}`);
        await db.run(mappingSql.createLookup(lookup));
        const appender = await db.connection.createAppender(lookup, "main", "temp");
        try {
          for (const { g: group, v } of values) {
            if (Number(group) !== g) continue;
            const got = derive(v);
            if (got === undefined) return giveUp(`${source.display}: a value a rule does not take`);
            appender.appendVarchar(v);
            if (got === null) appender.appendNull();
            else appender.appendVarchar(got);
            appender.endRow();
          }
          appender.flushSync();
        } finally {
          appender.closeSync();
        }
        lookups.set(`${tableOf.get(source)}\u0000${derivationKey(rule)}`, lookup);
      }
      t = debug(`lookups of ${source.display} (${values.length} values)`, t);
    }

    // The mapping's constants, as a one-row table the views read.
    const constants: Record<string, string> = { [WHITESPACE_CONSTANT]: JS_WHITESPACE };
    const constant = (value: string) => {
      const name = `k${Object.keys(constants).length}`;
      constants[name] = value;
      return name;
    };

    // Each table with a part: a view of its records in applyMapping's order, deduplicated like its.
    const relations: NonNullable<IngestOptions["relations"]> = [];
    const hasPart = new Set(mapping.mapping.parts.map((p) => p.table));
    for (const f of files) f.source.file.sha256 = await f.sha256;
    const checksumOf = (table: TableName) =>
      createHash("sha256")
        .update(JSON.stringify({ table, mapping: mapping.mapping, files: sources.map((s) => [s.file.name, s.file.sha256]) }))
        .digest("hex");
    const tableParts = new Map<TableName, MappedPartSql[]>();
    for (const table of TABLES) {
      if (!hasPart.has(table)) continue;
      const targets = tableSpec(table).columns.map((c) => c.name);
      const parts: MappedPartSql[] = [];
      const ranks = new Map<Source, number>();
      for (const p of plan.parts) {
        const sourceTable = tableOf.get(p.source)!;
        for (const rep of p.reps) {
          // The rank of a (part, repetition) within its source's rows, over all tables: applyMapping's order.
          const rank = ranks.get(p.source) ?? 0;
          ranks.set(p.source, rank + 1);
          if (p.part.table !== table) continue;
          const columns: MappedColumnSql[] = rep.rules.map((rule, i): MappedColumnSql => {
            if (!rule) return { kind: "null" };
            if (rule.const !== undefined) return rule.const === "" ? { kind: "null" } : { kind: "constant", name: constant(rule.const) };
            const position = rep.positions[i][0];
            if (derives(rule)) return { kind: "lookup", position, lookup: lookups.get(`${sourceTable}\u0000${derivationKey(rule)}`)! };
            return { kind: "plain", position, fallback: rule.default === undefined ? null : constant(rule.default), spacesOnly: fileOf.get(p.source)!.spacesOnly };
          });
          parts.push({ source: sourceTable, sourceRank: order.indexOf(p.source), rank, columns, skip: p.part.skipIfEmpty.map((t) => targets.indexOf(t)) });
        }
      }
      if ([...ranks.values()].some((n) => n > 4096)) return giveUp("too many parts");
      tableParts.set(table, parts);
    }
    const constantsTable = temp("constants");
    await db.run(mappingSql.createConstants(constantsTable, Object.keys(constants)), constants);
    for (const [table, parts] of tableParts) {
      const targets = tableSpec(table).columns.map((c) => c.name);
      const keys = DEDUPLICATED[table] ?? null;
      const view = temp(`table_${table}`);
      views.push(view);
      if (keys === null) {
        await db.run(mappingSql.createView(view, targets, parts, constantsTable));
      } else {
        const rows = temp(`rows_${table}`);
        views.push(rows);
        await db.run(mappingSql.createRows(rows, targets, parts, constantsTable));
        const keyed = temp(`keyed_${table}`);
        await db.run(mappingSql.createKeyed(keyed, rows, targets, keys));
        const conflicts = await db.all<{ n: number }>(mappingSql.keyConflicts(keyed));
        if (Number(conflicts[0].n) > 0) return giveUp(`${table}: a key repeated with other values`);
        await db.run(mappingSql.createDeduplicated(view, keyed, targets));
        t = debug(`keyed ${table}`, t);
      }
      relations.push({ table, relation: view, sha256: checksumOf(table) });
    }

    const logFiles = sources.map((s) => ({ file: s.file.name, format: s.file.kind, bytes: s.file.bytes, sha256: s.file.sha256 }));
    const result = await ingestExport(db, paths, { ...ingestOptions, relations, logPaths: paths, logFiles, discardInvalid: true });
    t = debug("import", t);
    if (result.outcome === "invalid" || result.outcome === "refused") return giveUp(`the import: ${result.outcome}`);
    if (process.env.BINOME_DEBUG_MAPPED) process.stderr.write(`mapped import in DuckDB: ${result.outcome}\n`);
    return { ...result, warnings: [...found.warnings, ...unusedColumnWarnings(sources, plan.used), ...result.warnings] };
  } finally {
    for (const view of views) await db.run(mappingSql.dropView(view)).catch(() => undefined);
    for (const table of temps) if (!views.includes(table)) await db.run(mappingSql.dropTable(table)).catch(() => undefined);
    rmSync(tempDir, { recursive: true, force: true });
  }
}
