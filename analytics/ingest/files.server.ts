import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, readdirSync, statSync, type Stats } from "node:fs";
import { open } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { isUtf8 } from "node:buffer";
import iconv from "iconv-lite";
import { fileProblem, type Problem } from "./problems.ts";
import { FORMATS, TABLES, tableSpec, type FileFormat, type TableName } from "./spec.ts";

/** A file of the export, found by name: `<table>.<format>`. */
export interface ExportFile {
  path: string;
  /** The file's name within the export, as problems show it. */
  name: string;
  table: TableName;
  format: FileFormat;
}

/**
 * An export file after the byte-level checks: what DuckDB should read, and how. A mapped import
 * of CSV files gives its tables as relations instead (`format` "relation": `readPath` names a
 * temp table of the format's columns, as text, in record order; see mapping/duckdb.server.ts).
 */
export interface PreparedFile extends Omit<ExportFile, "format"> {
  format: FileFormat | "relation";
  sha256: string;
  bytes: number;
  encoding: "utf-8" | "windows-1252" | "binary";
  /** The file DuckDB reads: the original, or a UTF-8 copy of a Windows-1252 file. */
  readPath: string;
  /** CSV only. */
  delimiter: string | null;
  /** CSV only: the header's column names as written (trimmed). */
  header: string[] | null;
}

export interface FoundFiles {
  files: ExportFile[];
  problems: Problem[];
  warnings: string[];
}

const FILE_NAME = new RegExp(`^(${TABLES.join("|")})\\.(${FORMATS.join("|")})$`, "i");

/**
 * Finds the export files in folders and individual paths. Several folders (or files from several
 * folders) form one export: a table may have one file per folder, and problems then name files
 * as `folder/file`. Two files for one table in one folder are an error.
 */
export function findExportFiles(paths: string[]): FoundFiles {
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const candidates: { path: string; folder: string; name: string; explicit: boolean }[] = [];
  for (const path of paths) {
    let stats: Stats;
    try {
      stats = statSync(path);
    } catch {
      problems.push(fileProblem(path, "no such file or folder"));
      continue;
    }
    if (stats.isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        const full = join(path, name);
        if (statSync(full).isFile()) candidates.push({ path: full, folder: resolve(path), name, explicit: false });
      }
    } else {
      candidates.push({ path, folder: dirname(resolve(path)), name: basename(path), explicit: true });
    }
  }
  if (paths.length === 0) problems.push(fileProblem("export", "no folder or file given"));
  const folders = [...new Set(candidates.map((c) => c.folder))];
  const display = (c: { folder: string; name: string }) => (folders.length > 1 ? `${basename(c.folder)}/${c.name}` : c.name);
  const byTable = new Map<TableName, (ExportFile & { folder: string })[]>();
  for (const c of candidates) {
    const match = FILE_NAME.exec(c.name);
    if (!match) {
      if (c.explicit) {
        problems.push(fileProblem(display(c), `not an export file name (expected <table>.csv, .parquet, .json or .ndjson, with table one of ${TABLES.join(", ")})`));
      } else if (!c.name.startsWith(".")) {
        warnings.push(`${display(c)}: not an export file name, ignored`);
      }
      continue;
    }
    const table = match[1].toLowerCase() as TableName;
    const format = match[2].toLowerCase() as FileFormat;
    const list = byTable.get(table) ?? [];
    if (!list.some((f) => resolve(f.path) === resolve(c.path))) list.push({ path: c.path, name: display(c), table, format, folder: c.folder });
    byTable.set(table, list);
  }
  const files: ExportFile[] = [];
  for (const table of TABLES) {
    const list = byTable.get(table) ?? [];
    const kept: ExportFile[] = [];
    for (const folder of folders) {
      const here = list.filter((f) => f.folder === folder);
      for (const f of here.slice(1)) {
        problems.push(fileProblem(f.name, `two files for table ${table} (${here.map((x) => x.name).join(", ")}): keep one`));
      }
      if (here.length > 0) kept.push({ path: here[0].path, name: here[0].name, table, format: here[0].format });
    }
    files.push(...kept);
    if (kept.length === 0 && tableSpec(table).required && paths.length > 0) {
      problems.push(fileProblem(table, `required file missing (${table}.csv, .parquet, .json or .ndjson)`));
    }
  }
  return { files, problems, warnings };
}

const CHUNK = 1 << 20;

/**
 * One streaming pass over a file: its checksum, and for text formats whether it holds NUL bytes
 * and whether it is valid UTF-8. A Windows-1252 file is then converted to a UTF-8 copy in
 * `tempDir` with iconv-lite (DuckDB's latin-1 and Node's windows-1252 decoder both get
 * € œ ’ wrong). CSV files get their delimiter and header from the first record.
 */
export async function prepareFile(file: ExportFile, tempDir: string): Promise<{ prepared: PreparedFile | null; problems: Problem[] }> {
  const hash = createHash("sha256");
  const text = file.format !== "parquet";
  let bytes = 0;
  let hasNul = false;
  let utf8 = true;
  let carry = Buffer.alloc(0);
  let head = Buffer.alloc(0);
  for await (const chunk of createReadStream(file.path, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    if (head.length < 4) head = Buffer.concat([head, chunk.subarray(0, 4)]);
    if (!text) continue;
    if (!hasNul && chunk.indexOf(0) !== -1) hasNul = true;
    if (utf8 && !hasNul) {
      const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const cut = completeUtf8Length(data);
      if (!isUtf8(data.subarray(0, cut))) utf8 = false;
      carry = Buffer.from(data.subarray(cut));
    }
  }
  if (carry.length && !isUtf8(carry)) utf8 = false;
  const sha256 = hash.digest("hex");
  const base = { ...file, sha256, bytes, delimiter: null, header: null };
  if (bytes === 0) return { prepared: null, problems: [fileProblem(file.name, "empty file (not even a header): an empty file would wipe this part of the program")] };
  if (!text) {
    if (head.subarray(0, 4).toString("latin1") !== "PAR1") {
      return { prepared: null, problems: [fileProblem(file.name, "not a Parquet file")] };
    }
    return { prepared: { ...base, encoding: "binary", readPath: file.path }, problems: [] };
  }
  if (hasNul) return { prepared: null, problems: [fileProblem(file.name, "not a text file (it holds NUL bytes)")] };

  const hasBom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  let readPath = file.path;
  let encoding: PreparedFile["encoding"] = "utf-8";
  if (!utf8) {
    encoding = "windows-1252";
    readPath = join(tempDir, `${file.table}.utf8.${file.format}`);
    await pipeline(createReadStream(file.path), iconv.decodeStream("win1252"), iconv.encodeStream("utf8"), createWriteStream(readPath));
  } else if (hasBom && file.format !== "csv") {
    // DuckDB's CSV reader skips a BOM; its JSON reader does not.
    readPath = join(tempDir, `${file.table}.nobom.${file.format}`);
    await pipeline(createReadStream(file.path, { start: 3 }), createWriteStream(readPath));
  }
  const prepared: PreparedFile = { ...base, encoding, readPath };
  if (file.format !== "csv") return { prepared, problems: [] };

  const first = await readFirstRecord(readPath);
  if (first.trim() === "") return { prepared: null, problems: [fileProblem(file.name, "no header line: the first line must name the columns", null, 1)] };
  prepared.delimiter = detectDelimiter(first);
  prepared.header = splitRecord(first, prepared.delimiter).map((h) => h.trim());
  return { prepared, problems: [] };
}

/** The length of `data` without a trailing, incomplete UTF-8 sequence. */
function completeUtf8Length(data: Buffer): number {
  const n = data.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = data[n - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

/** The header: the first record of the file, honouring quotes, without its line break. */
async function readFirstRecord(path: string): Promise<string> {
  const handle = await open(path, "r");
  try {
    let text = "";
    let position = 0;
    const buffer = Buffer.alloc(1 << 16);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) return stripBom(text);
      position += bytesRead;
      text += buffer.subarray(0, bytesRead).toString("utf8");
      const end = endOfFirstRecord(text);
      if (end !== -1) return stripBom(text.slice(0, end));
      if (position > 1 << 22) return stripBom(text);
    }
  } finally {
    await handle.close();
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function endOfFirstRecord(text: string): number {
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inQuote = !inQuote;
    else if (!inQuote && (c === "\n" || c === "\r")) {
      if (i === 0 || text.slice(0, i).trim() === "") continue;
      return i;
    }
  }
  return -1;
}

const DELIMITERS = ["\t", ";", ","] as const;

/** The delimiter used most often outside quotes in the header; ties go to tab, then `;`. */
export function detectDelimiter(header: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let inQuote = false;
  for (const c of header) {
    if (c === '"') inQuote = !inQuote;
    else if (!inQuote && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best: string = ",";
  let bestCount = 0;
  for (const d of DELIMITERS) {
    if (counts.get(d)! > bestCount) {
      best = d;
      bestCount = counts.get(d)!;
    }
  }
  return best;
}

/** Splits one CSV record (quote `"`, doubled to escape). */
export function splitRecord(record: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = "";
  let inQuote = false;
  for (let i = 0; i < record.length; i++) {
    const c = record[i];
    if (inQuote) {
      if (c === '"' && record[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') inQuote = false;
      else field += c;
    } else if (c === '"') inQuote = true;
    else if (c === delimiter) {
      fields.push(field);
      field = "";
    } else field += c;
  }
  fields.push(field);
  return fields;
}
