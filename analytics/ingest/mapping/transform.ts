/**
 * A mapping applied to the user's sources: every part of every table reads its source's rows and
 * gives records of the export format, as text in the format's own syntax (ISO dates, `.` as the
 * decimal mark, `|`-separated lists), each with where it came from (the source, its line or row,
 * and which header gave each column), so that the import's problems can name the user's own
 * file, line and column. Participants, organizations and topics are deduplicated by their key:
 * a flat one-row-per-pair sheet names a mentor once per mentee; a repeat that disagrees is an
 * error. Mapping errors — a column the source does not have, a value the map does not cover, a
 * date or number not in the declared format — are problems like the data's. Pure: no file, no
 * database (the pseudonyms' key comes in).
 */
import { createHmac } from "node:crypto";
import { MAX_PROBLEMS_PER_FILE, fileProblem, quoteValue, type Problem } from "../problems.ts";
import { PERSONAL_COLUMN, tableSpec, TABLES, type TableName } from "../spec.ts";
import { ruleSources, type ColumnRule, type Mapping, type MappingPart } from "./schema.ts";
import type { Cell, Source } from "./sources.server.ts";

/** Where a record came from: the source, its line or row, and the labels of its columns. */
export interface Origin {
  source: number;
  at: number;
  /** Index into `MappedExport.labels`. */
  labels: number;
}

/** Where a table's records go as they are made: a file being written (the table then keeps none). */
export interface TableSink {
  add(row: (string | null)[], source: number, at: number, labels: number): void;
}

/** Origins of a table's records, as three parallel arrays (one entry per record). */
export class Origins {
  readonly source: number[] = [];
  readonly at: number[] = [];
  readonly labels: number[] = [];
  push(source: number, at: number, labels: number): void {
    this.source.push(source);
    this.at.push(at);
    this.labels.push(labels);
  }
  get(i: number): Origin | null {
    return i < 0 || i >= this.at.length ? null : { source: this.source[i], at: this.at[i], labels: this.labels[i] };
  }
}

export interface MappedTable {
  table: TableName;
  /** The format's columns, in the spec's order. */
  columns: string[];
  /** The records kept in memory: every record of a deduplicated table, or of a table with no sink. */
  rows: (string | null)[][];
  origins: Origins;
  /** The table's records went to a sink as they were made. */
  streamed: boolean;
}

export interface MappedExport {
  tables: Map<TableName, MappedTable>;
  /** Per labels index: target column → how problems name it (`Année mentor`, `C (Année mentor)`). */
  labels: Map<string, string>[];
  sources: Source[];
  /** Per table: the user's names of its sources (sheet or file) and of its columns (headers), for the import's messages. */
  words: Map<TableName, { sources: string[]; headers: Map<string, string> }>;
  problems: Problem[];
  warnings: string[];
}

/** The keys by which a table's records are deduplicated (the others keep every record). */
export const DEDUPLICATED: Partial<Record<TableName, string[]>> = {
  organizations: ["org_id"],
  participants: ["program_id", "participant_id"],
  topics: ["program_id", "topic_id"],
};

const ENTITY: Record<string, string> = { organizations: "organization", participants: "participant", topics: "topic" };

/** How a header is matched: trimmed, case-insensitive, spaces collapsed, Unicode NFC. */
export function headerKey(name: string): string {
  return name.normalize("NFC").trim().replace(/\s+/g, " ").toLowerCase();
}

/** Which source a part's `source` names: a sheet by its name, a file by its name with or without extension. */
export function findSource(sources: Source[], name: string): Source[] {
  const key = headerKey(name);
  const bySheet = sources.filter((s) => s.sheet !== null && headerKey(s.sheet) === key);
  if (bySheet.length) return bySheet;
  return sources.filter((s) => s.sheet === null && (headerKey(s.file.name) === key || headerKey(s.file.name.replace(/\.[^.]*$/, "")) === key));
}

/** A rule's value for one row: the text, null when empty, or FAILED (then `failure` says why). */
type Compiled = (cells: Cell[], fromSheet: boolean) => string | null | typeof FAILED;
const FAILED = Symbol("failed");
/** The last failure of a rule (one rule runs at a time; read right after FAILED). */
const failure = { error: "", value: "" };
type Outcome = string | null | { error: string; value: string };
const fail = (error: string, value: string): typeof FAILED => {
  failure.error = error;
  failure.value = value;
  return FAILED;
};
const settle = (o: Outcome): string | null | typeof FAILED => (o !== null && typeof o === "object" ? fail(o.error, o.value) : o);

/** The keyed pseudonym of a person known only by name: an HMAC of the normalised names with the installation's secret. */
export function pseudonym(secret: string, names: string[]): string {
  const text = names.map((n) => n.normalize("NFC").trim().replace(/\s+/g, " ").toLowerCase()).join("\u0000");
  return "N-" + createHmac("sha256", secret).update(`binome-pseudonym\u0000${text}`).digest("hex").slice(0, 16);
}

const cellText = (cell: Cell): string | null => {
  if (cell === null) return null;
  if (typeof cell === "object") return cell.date;
  const text = typeof cell === "string" ? cell.trim() : String(cell);
  return text === "" ? null : text;
};

/** Parses a date in a declared format (`DD/MM/YYYY`…); ISO dates are always read. Null when it is not one. */
export function parseDate(text: string, format: string | undefined): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(text);
  if (iso) return validDate(+iso[1], +iso[2], +iso[3]);
  if (!format) {
    const fr = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: .*)?$/.exec(text);
    return fr ? validDate(+fr[3], +fr[2], +fr[1]) : null;
  }
  const date = text.split(/[ T]/)[0];
  let tokens: string[];
  let parts: string[];
  if (format === "YYYYMMDD" || format === "DDMMYYYY") {
    if (!/^\d{8}$/.test(date)) return null;
    tokens = format === "YYYYMMDD" ? ["YYYY", "MM", "DD"] : ["DD", "MM", "YYYY"];
    parts = format === "YYYYMMDD" ? [date.slice(0, 4), date.slice(4, 6), date.slice(6)] : [date.slice(0, 2), date.slice(2, 4), date.slice(4)];
  } else {
    const sep = format.match(/[./ -]/)![0];
    tokens = format.split(sep);
    parts = date.split(sep);
    if (parts.length !== 3 || !parts.every((p) => /^\d{1,4}$/.test(p))) return null;
  }
  let y = 0;
  let m = 0;
  let d = 0;
  for (const [i, token] of tokens.entries()) {
    const v = Number(parts[i]);
    if (token.startsWith("Y")) {
      if (token.length !== parts[i].length) return null;
      y = token === "YY" ? (v < 50 ? 2000 + v : 1900 + v) : v;
    } else if (token.startsWith("M")) m = v;
    else d = v;
  }
  return validDate(y, m, d);
}

function validDate(y: number, m: number, d: number): string | null {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** An Excel date serial (a plain number in a sheet's date column) as ISO. */
function serialDate(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2958465) return null;
  const t = new Date(Date.UTC(1899, 11, 30) + Math.floor(serial) * 86400000);
  return t.toISOString().slice(0, 10);
}

/** A compiled date parser for one declared format (the same rules as `parseDate`, without re-reading the format per value). */
function dateParser(format: string | undefined): (text: string) => string | null {
  if (format === undefined || format === "YYYYMMDD" || format === "DDMMYYYY") return (text) => parseDate(text, format);
  const sep = format.match(/[./ -]/)![0];
  const tokens = format.split(sep);
  const digits = tokens.map((t) => (t === "YYYY" ? "(\\d{4})" : t === "YY" ? "(\\d{2})" : "(\\d{1,2})")).join(sep === "." ? "\\." : sep === " " ? " " : sep === "-" ? "-" : "\\/");
  const re = new RegExp(`^${digits}(?:[ T].*)?$`);
  const y = tokens.findIndex((t) => t.startsWith("Y")) + 1;
  const m = tokens.findIndex((t) => t.startsWith("M")) + 1;
  const d = tokens.findIndex((t) => t.startsWith("D")) + 1;
  const yy = tokens[y - 1] === "YY";
  return (text) => {
    const g = re.exec(text);
    if (!g) return parseDate(text, format);
    const year = yy ? (Number(g[y]) < 50 ? 2000 : 1900) + Number(g[y]) : Number(g[y]);
    return checkedDate(year, Number(g[m]), Number(g[d]));
  };
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function checkedDate(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1) return null;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (m === 2 && leap ? 29 : DAYS[m - 1])) return null;
  return `${String(y).padStart(4, "0")}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}

/** Values repeat (dates, statuses, modes): a derivation's result per distinct text is kept, up to this many. */
const MEMO_LIMIT = 100_000;

function compileRule(rule: ColumnRule, positions: number[], secret: string | null): Compiled {
  const map = rule.values ? new Map(Object.entries(rule.values).map(([k, v]) => [headerKey(k), v])) : null;
  const mapKeys = rule.values ? Object.keys(rule.values).join(", ") : "";
  const pos = positions[0];
  const parse = dateParser(rule.date);
  const derived = derives(rule);
  const memo = new Map<string, Outcome>();
  if (rule.const !== undefined) {
    const value = rule.const === "" ? null : rule.const;
    return () => value;
  }
  const empty = rule.default ?? null;
  if (rule.pseudonym) {
    return (cells) => {
      const names = positions.map((p) => cellText(cells[p]) ?? "");
      if (names.every((n) => n === "")) return empty;
      if (secret === null) throw new Error("a pseudonym needs the installation's secret");
      return pseudonym(secret, names);
    };
  }
  /** The derivations of one text value (strings only: Excel's typed cells are handled below). */
  const fromText = (raw: string): Outcome => {
    let text = raw;
    if (map) {
      const mapped = map.get(headerKey(text));
      if (mapped === undefined) return { error: `not a value the mapping covers (${mapKeys})`, value: text };
      text = mapped;
      if (text === "") return null;
    }
    if (rule.date !== undefined || rule.year) {
      const iso = rule.year && /^\d{4}$/.test(text) ? `${text}-01-01` : parse(text);
      if (iso === null) return { error: `not a date in the format ${rule.date ?? "YYYY-MM-DD or DD/MM/YYYY"}`, value: text };
      return rule.year ? iso.slice(0, 4) : iso;
    }
    if (rule.number) {
      const { decimal, thousands } = rule.number;
      let t = text;
      if (thousands === " ") t = t.replace(/[ \u00a0\u202f]/g, "");
      else if (thousands !== "") t = t.split(thousands).join("");
      if (decimal === ",") t = t.replace(",", ".");
      if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(t)) return { error: `not a number with ${decimal} as the decimal mark${thousands ? ` and ${JSON.stringify(thousands)} between thousands` : ""}`, value: text };
      return t;
    }
    if (rule.split !== undefined) {
      return text.split(rule.split).map((s) => s.trim()).filter(Boolean).join("|") || null;
    }
    return text;
  };
  return (cells, fromSheet) => {
    const cell = cells[pos];
    if (typeof cell === "string") {
      const text = cell.trim();
      if (text === "") return empty;
      if (!derived) return text;
      let got = memo.get(text);
      if (got === undefined) {
        got = fromText(text);
        if (memo.size < MEMO_LIMIT) memo.set(text, got);
      }
      return settle(got);
    }
    if (cell === null) return empty;
    // Excel's typed cells: a date, a number, a boolean.
    const text = cellText(cell)!;
    if (map) return settle(fromText(text));
    if (rule.date !== undefined || rule.year) {
      let iso: string | null;
      if (typeof cell === "object") iso = cell.date;
      else if (typeof cell === "number" && fromSheet) iso = rule.year && cell >= 1000 && cell <= 9999 && Number.isInteger(cell) ? `${cell}-01-01` : serialDate(cell);
      else iso = parseDate(text, rule.date);
      if (iso === null) return fail(`not a date in the format ${rule.date ?? "YYYY-MM-DD or DD/MM/YYYY"}`, text);
      return rule.year ? iso.slice(0, 4) : iso;
    }
    if (typeof cell === "number") return String(cell);
    if (typeof cell === "boolean") return cell ? "true" : "false";
    return settle(fromText(text));
  };
}

/** Whether a rule derives its value (a value map, a date, a year, a number, a list): then each distinct text is derived once. */
export function derives(rule: ColumnRule): boolean {
  return Boolean(rule.values || rule.date !== undefined || rule.year || rule.number || rule.split !== undefined);
}

/**
 * A rule over one text cell (a CSV field), as `applyMapping` applies it: the value, null when
 * empty, or undefined when the rule fails on the text (a value the map does not cover, …).
 */
export function textRule(rule: ColumnRule, secret: string | null): (text: string) => string | null | undefined {
  const fn = compileRule(rule, [0], secret);
  return (text) => {
    const got = fn([text], false);
    return got === FAILED ? undefined : got;
  };
}

interface PendingKeyed {
  row: (string | null)[];
  source: number;
  at: number;
}

interface CompiledPart {
  part: MappingPart;
  reps: { fns: (Compiled | null)[]; labels: number }[];
  targets: string[];
  skip: number[];
  dedupe: number[] | null;
  pending: Map<string, PendingKeyed>;
  table: MappedTable;
  sink: TableSink | null;
  /** The row reused for every record of a streamed table. */
  buffer: (string | null)[];
}

/** A part of the mapping resolved against the sources: its source, and per repetition each target's rule and source columns. */
export interface PlannedPart {
  part: MappingPart;
  source: Source;
  /** The format's columns, in the spec's order. */
  targets: string[];
  /** Per repetition (one when the part does not repeat): per target, its rule (null: no rule) and the positions it reads, and the index of its labels. */
  reps: { rules: (ColumnRule | null)[]; positions: number[][]; labels: number }[];
}

/** The mapping resolved against the sources (no row read yet): its parts, the problems of its names, what it says of each table. */
export interface MappingPlan {
  out: MappedExport;
  /** The parts that resolved, in the mapping's order. */
  parts: PlannedPart[];
  /** Per source, the header positions some rule reads. */
  used: Map<Source, Set<number>>;
}

/**
 * Resolves the mapping's parts against the sources: the source each part names, the header
 * position of each column a rule reads (a column the source lacks, or has twice, is a problem),
 * how problems will name each target (`labels`) and the user's words for each table (`words`).
 */
export function planMapping(mapping: Mapping, sources: Source[], mappingName: string): MappingPlan {
  const out: MappedExport = { tables: new Map(), labels: [], sources, words: new Map(), problems: [], warnings: [] };
  for (const table of TABLES) out.words.set(table, { sources: [], headers: new Map() });
  const used = new Map<Source, Set<number>>();
  const parts: PlannedPart[] = [];
  const where = (source: Source, at: number) => (source.sheet === null ? { line: at, row: null } : { line: null, row: at });
  for (const part of mapping.parts) {
    const found = findSource(sources, part.source);
    if (found.length === 0) {
      if (part.optional) continue;
      const names = sources.map((s) => (s.sheet === null ? s.file.name : `${s.sheet} (${s.file.name})`));
      out.problems.push(fileProblem(mappingName, `${part.path}.source: no file or sheet named ${JSON.stringify(part.source)} (found: ${names.join(", ") || "none"})`));
      continue;
    }
    if (found.length > 1) {
      out.problems.push(fileProblem(mappingName, `${part.path}.source: ${JSON.stringify(part.source)} names ${found.length} files or sheets (${found.map((s) => s.display).join(", ")}): give one`));
      continue;
    }
    const source = found[0];
    const index = new Map<string, number[]>();
    source.headers.forEach((h, i) => {
      if (h === "") return;
      const k = headerKey(h);
      index.set(k, [...(index.get(k) ?? []), i]);
    });
    const usedHere = used.get(source) ?? new Set<number>();
    used.set(source, usedHere);
    const spec = tableSpec(part.table);
    const targets = spec.columns.map((c) => c.name);
    const repetitions = part.repeat ?? [null];
    const reps: PlannedPart["reps"] = [];
    let broken = false;
    for (const n of repetitions) {
      const labels = new Map<string, string>();
      const rules: (ColumnRule | null)[] = [];
      const positionsOf: number[][] = [];
      for (const target of targets) {
        const entry = part.columns.find(([t]) => t === target);
        if (!entry) {
          rules.push(null);
          positionsOf.push([]);
          continue;
        }
        const rule = entry[1];
        const names = ruleSources(rule, n);
        const positions: number[] = [];
        for (const name of names) {
          const at = index.get(headerKey(name));
          if (!at) {
            out.problems.push({ ...fileProblem(source.display, `no such column in the header (the mapping's ${part.path}.columns.${target} names it)`, name), ...where(source, source.headerAt) });
            broken = true;
          } else if (at.length > 1) {
            out.problems.push({ ...fileProblem(source.display, `column appears ${at.length} times in the header: the mapping cannot tell which`, source.label(at[1])), ...where(source, source.headerAt) });
            broken = true;
          } else {
            positions.push(at[0]);
            usedHere.add(at[0]);
          }
        }
        labels.set(target, positions.length ? positions.map((p) => source.label(p)).join(" + ") : `${target} (the mapping's constant)`);
        const words = out.words.get(part.table)!;
        if (positions.length && !words.headers.has(target)) words.headers.set(target, positions.map((p) => source.headers[p]).join(" + "));
        rules.push(rule);
        positionsOf.push(positions);
      }
      out.labels.push(labels);
      reps.push({ rules, positions: positionsOf, labels: out.labels.length - 1 });
    }
    if (broken) continue;
    const words = out.words.get(part.table)!;
    const sourceName = source.sheet ?? source.file.name;
    if (!words.sources.includes(sourceName)) words.sources.push(sourceName);
    parts.push({ part, source, targets, reps });
  }
  return { out, parts, used };
}

/** Columns no part reads are not imported; those that look like names or e-mails say so. */
export function unusedColumnWarnings(sources: Source[], used: Map<Source, Set<number>>): string[] {
  const warnings: string[] = [];
  for (const s of sources) {
    const u = used.get(s);
    if (!u) {
      warnings.push(`${s.display}: not named by the mapping, ignored`);
      continue;
    }
    s.headers.forEach((h, i) => {
      if (u.has(i) || h === "") return;
      if (PERSONAL_COLUMN.test(headerKey(h).replace(/[\s-]+/g, "_"))) warnings.push(`${s.display}: column ${quoteValue(h)} looks like names or e-mail addresses: never stored`);
      else warnings.push(`${s.display}: column ${quoteValue(h)} not in the mapping, ignored`);
    });
  }
  return warnings;
}

/**
 * Applies the mapping. Records are returned per table in the order of the mapping's parts, then
 * of the source's rows (and, for a repeated part, of its repetitions within each row).
 */
export function applyMapping(
  mapping: Mapping,
  sources: Source[],
  secret: string | null,
  mappingName: string,
  sinkFor: (table: TableName) => TableSink | null = () => null,
): MappedExport {
  const { out, parts, used } = planMapping(mapping, sources, mappingName);
  const sinks = new Map<TableName, TableSink | null>();
  for (const table of TABLES) {
    const sink = DEDUPLICATED[table] ? null : sinkFor(table);
    sinks.set(table, sink);
    out.tables.set(table, { table, columns: tableSpec(table).columns.map((c) => c.name), rows: [], origins: new Origins(), streamed: sink !== null });
  }
  const partsOf = new Map<Source, CompiledPart[]>();
  const sourceIndex = new Map(sources.map((s, i) => [s, i]));
  /** Row problems per source, capped like the import's. */
  const rowProblems = new Map<Source, { list: Problem[]; total: number }>();
  const addRowProblem = (source: Source, p: Problem) => {
    const entry = rowProblems.get(source) ?? { list: [], total: 0 };
    rowProblems.set(source, entry);
    entry.total++;
    if (entry.list.length < MAX_PROBLEMS_PER_FILE) entry.list.push(p);
  };
  const where = (source: Source, at: number) => (source.sheet === null ? { line: at, row: null } : { line: null, row: at });
  const keyed = new Map<TableName, Map<string, PendingKeyed>>();
  for (const { part, source, targets, reps } of parts) {
    const compiled = reps.map((r) => ({ fns: r.rules.map((rule, i) => (rule ? compileRule(rule, r.positions[i], secret) : null)), labels: r.labels }));
    const table = out.tables.get(part.table)!;
    const skip = part.skipIfEmpty.map((t) => targets.indexOf(t));
    const dedupe = DEDUPLICATED[part.table]?.map((t) => targets.indexOf(t)) ?? null;
    const pending = keyed.get(part.table) ?? new Map<string, PendingKeyed>();
    keyed.set(part.table, pending);
    const list = partsOf.get(source) ?? [];
    partsOf.set(source, list);
    list.push({ part, reps: compiled, targets, skip, dedupe, pending, table, sink: sinks.get(part.table)!, buffer: new Array(targets.length).fill(null) });
  }

  // One pass over each source's rows, every part that reads it at each row.
  for (const [source, parts] of partsOf) {
    const fromSheet = source.sheet !== null;
    const sIndex = sourceIndex.get(source)!;
    source.each((cells, at) => {
      for (const cp of parts) {
        const { targets, table, sink, dedupe, skip } = cp;
        for (const c of cp.reps) {
          const row = sink ? cp.buffer : new Array<string | null>(targets.length);
          let failed = false;
          for (let i = 0; i < targets.length; i++) {
            const fn = c.fns[i];
            if (!fn) {
              row[i] = null;
              continue;
            }
            const got = fn(cells, fromSheet);
            if (got === FAILED) {
              failed = true;
              row[i] = null;
              addRowProblem(source, { file: source.display, ...where(source, at), column: out.labels[c.labels].get(targets[i])!, message: failure.error, value: failure.value });
            } else row[i] = got;
          }
          if (skip.length && skip.every((i) => row[i] === null)) continue;
          if (failed) continue;
          if (!dedupe || dedupe.some((i) => row[i] === null)) {
            if (sink) sink.add(row, sIndex, at, c.labels);
            else table.rows.push(row);
            table.origins.push(sIndex, at, c.labels);
            continue;
          }
          const key = dedupe.length === 1 ? row[dedupe[0]]! : dedupe.map((i) => row[i]).join("\u0000");
          const first = cp.pending.get(key);
          if (!first) {
            cp.pending.set(key, { row, source: sIndex, at });
            table.rows.push(row);
            table.origins.push(sIndex, at, c.labels);
            continue;
          }
          // The same person (organization, topic) again: it must say the same thing.
          for (let i = 0; i < targets.length; i++) {
            const a = first.row[i];
            const b = row[i];
            if (b === null) continue;
            if (a === null) {
              first.row[i] = b;
              continue;
            }
            if (a !== b) {
              const firstSource = sources[first.source];
              const where2 = `${firstSource.sheet === null ? "line" : "row"} ${first.at}`;
              const firstAt = firstSource === source ? where2 : `${where2} of ${firstSource.display}`;
              addRowProblem(source, {
                file: source.display,
                ...where(source, at),
                column: out.labels[c.labels].get(targets[i])!,
                message: `${ENTITY[cp.part.table]} ${row[dedupe[dedupe.length - 1]]} appears again with another value, first on ${firstAt} (${JSON.stringify(a)})`,
                value: b,
              });
            }
          }
        }
      }
    });
  }
  // Problems of a source come in its row order (parts were applied one after the other).
  for (const s of sources) {
    out.problems.push(...s.problems);
    const entry = rowProblems.get(s);
    if (!entry) continue;
    const list = [...entry.list].sort((a, b) => (a.line ?? a.row ?? 0) - (b.line ?? b.row ?? 0));
    out.problems.push(...list);
    if (entry.total > list.length) out.problems.push(fileProblem(s.display, `… ${entry.total - list.length} more`));
  }
  out.warnings.push(...unusedColumnWarnings(sources, used));
  return out;
}
