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
import { MAX_PROBLEMS_PER_FILE, fileProblem, type Problem } from "../problems.ts";
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

export interface MappedTable {
  table: TableName;
  /** The format's columns, in the spec's order. */
  columns: string[];
  rows: (string | null)[][];
  origins: Origin[];
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

type Compiled = (cells: Cell[], fromSheet: boolean) => { value: string | null } | { error: string; value: string };

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

function compileRule(rule: ColumnRule, positions: number[], secret: string | null): Compiled {
  const map = rule.values ? new Map(Object.entries(rule.values).map(([k, v]) => [headerKey(k), v])) : null;
  const mapKeys = rule.values ? Object.keys(rule.values).join(", ") : "";
  const pos = positions[0];
  return (cells, fromSheet) => {
    if (rule.const !== undefined) return { value: rule.const === "" ? null : rule.const };
    if (rule.pseudonym) {
      const names = positions.map((p) => cellText(cells[p]) ?? "");
      if (names.every((n) => n === "")) return { value: rule.default ?? null };
      if (secret === null) throw new Error("a pseudonym needs the installation's secret");
      return { value: pseudonym(secret, names) };
    }
    const cell = cells[pos];
    let text = cellText(cell);
    if (text === null) return { value: rule.default ?? null };
    if (map) {
      const mapped = map.get(headerKey(text));
      if (mapped === undefined) return { error: `not a value the mapping covers (${mapKeys})`, value: text };
      text = mapped;
      if (text === "") return { value: null };
    }
    if (rule.date !== undefined || rule.year) {
      let iso: string | null = null;
      if (typeof cell === "object" && cell !== null) iso = cell.date;
      else if (typeof cell === "number" && fromSheet && !map) iso = rule.year && cell >= 1000 && cell <= 9999 && Number.isInteger(cell) ? `${cell}-01-01` : serialDate(cell);
      else if (rule.year && /^\d{4}$/.test(text)) iso = `${text}-01-01`;
      else iso = parseDate(text, rule.date);
      if (iso === null) return { error: `not a date in the format ${rule.date ?? "YYYY-MM-DD or DD/MM/YYYY"}`, value: text };
      return { value: rule.year ? iso.slice(0, 4) : iso };
    }
    if (rule.number) {
      if (typeof cell === "number" && !map) return { value: String(cell) };
      const { decimal, thousands } = rule.number;
      let t = text;
      if (thousands === " ") t = t.replace(/[ \u00a0\u202f]/g, "");
      else if (thousands !== "") t = t.split(thousands).join("");
      if (decimal === ",") t = t.replace(",", ".");
      if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(t)) return { error: `not a number with ${decimal} as the decimal mark${thousands ? ` and ${JSON.stringify(thousands)} between thousands` : ""}`, value: text };
      return { value: t };
    }
    if (rule.split !== undefined) {
      return { value: text.split(rule.split).map((s) => s.trim()).filter(Boolean).join("|") || null };
    }
    if (typeof cell === "boolean" && !map) return { value: cell ? "true" : "false" };
    return { value: text };
  };
}

interface PendingKeyed {
  row: (string | null)[];
  origin: Origin;
}

/**
 * Applies the mapping. Records are returned per table in the order of the mapping's parts, then
 * of the source's rows (and, for a repeated part, of its repetitions within each row).
 */
export function applyMapping(mapping: Mapping, sources: Source[], secret: string | null, mappingName: string): MappedExport {
  const out: MappedExport = { tables: new Map(), labels: [], sources, words: new Map(), problems: [], warnings: [] };
  for (const table of TABLES) out.words.set(table, { sources: [], headers: new Map() });
  for (const table of TABLES) out.tables.set(table, { table, columns: tableSpec(table).columns.map((c) => c.name), rows: [], origins: [] });
  const sourceIndex = new Map(sources.map((s, i) => [s, i]));
  const used = new Map<Source, Set<number>>();
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

  for (const part of mapping.parts) {
    const found = findSource(sources, part.source);
    if (found.length === 0) {
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
    const compiled: { fns: (Compiled | null)[]; labels: number }[] = [];
    let broken = false;
    for (const n of repetitions) {
      const labels = new Map<string, string>();
      const fns: (Compiled | null)[] = targets.map((target) => {
        const entry = part.columns.find(([t]) => t === target);
        if (!entry) return null;
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
        return compileRule(rule, positions, secret);
      });
      out.labels.push(labels);
      compiled.push({ fns, labels: out.labels.length - 1 });
    }
    if (broken) continue;
    const words = out.words.get(part.table)!;
    const sourceName = source.sheet ?? source.file.name;
    if (!words.sources.includes(sourceName)) words.sources.push(sourceName);
    const table = out.tables.get(part.table)!;
    const skip = part.skipIfEmpty.map((t) => targets.indexOf(t));
    const dedupe = DEDUPLICATED[part.table]?.map((t) => targets.indexOf(t)) ?? null;
    const pending = keyed.get(part.table) ?? new Map<string, PendingKeyed>();
    keyed.set(part.table, pending);
    const fromSheet = source.sheet !== null;
    const sIndex = sourceIndex.get(source)!;
    for (let r = 0; r < source.rows.length; r++) {
      const cells = source.rows[r];
      for (const c of compiled) {
        const row: (string | null)[] = new Array(targets.length).fill(null);
        let failed = false;
        for (let i = 0; i < targets.length; i++) {
          const fn = c.fns[i];
          if (!fn) continue;
          const got = fn(cells, fromSheet);
          if ("error" in got) {
            failed = true;
            addRowProblem(source, { file: source.display, ...where(source, source.at[r]), column: out.labels[c.labels].get(targets[i])!, message: got.error, value: got.value });
          } else row[i] = got.value;
        }
        if (skip.length && skip.every((i) => row[i] === null)) continue;
        if (failed) continue;
        const origin: Origin = { source: sIndex, at: source.at[r], labels: c.labels };
        if (!dedupe || dedupe.some((i) => row[i] === null)) {
          table.rows.push(row);
          table.origins.push(origin);
          continue;
        }
        const key = dedupe.map((i) => row[i]).join("\u0000");
        const first = pending.get(key);
        if (!first) {
          pending.set(key, { row, origin });
          table.rows.push(row);
          table.origins.push(origin);
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
            const firstSource = sources[first.origin.source];
            const at = firstSource === source ? `${source.sheet === null ? "line" : "row"} ${first.origin.at}` : `${firstSource.display} ${firstSource.sheet === null ? "line" : "row"} ${first.origin.at}`;
            addRowProblem(source, {
              file: source.display,
              ...where(source, source.at[r]),
              column: out.labels[c.labels].get(targets[i])!,
              message: `${ENTITY[part.table]} ${dedupe.map((d) => row[d]).slice(-1)[0]} appears again with another value, first on ${at} (${JSON.stringify(a)})`,
              value: b,
            });
          }
        }
      }
    }
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
  // Columns no part reads are not imported; those that look like names or e-mails say so.
  for (const s of sources) {
    const u = used.get(s);
    if (!u) {
      out.warnings.push(`${s.display}: not named by the mapping, ignored`);
      continue;
    }
    s.headers.forEach((h, i) => {
      if (u.has(i) || h === "") return;
      if (PERSONAL_COLUMN.test(headerKey(h).replace(/[\s-]+/g, "_"))) out.warnings.push(`${s.display}: column ${JSON.stringify(h)} looks like names or e-mail addresses: never stored`);
      else out.warnings.push(`${s.display}: column ${JSON.stringify(h)} not in the mapping, ignored`);
    });
  }
  return out;
}
