/**
 * A CSV reader for mapped sources, in the export format's dialect (docs/export-format.md,
 * "Formats and encodings"): `,` `;` or tab (the one most used in the header), quote `"` doubled
 * to escape, LF or CRLF, blank lines skipped, UTF-8 (BOM or not) else Windows-1252. Each record
 * comes with the physical line it starts on, as problems name it. Pure: text in, records out.
 */
import { isUtf8 } from "node:buffer";
import iconv from "iconv-lite";
import { detectDelimiter } from "../files.server.ts";

export interface CsvRecord {
  fields: string[];
  /** 1-based physical line where the record starts. */
  line: number;
}

/** The file's text: UTF-8 when it is valid UTF-8, else Windows-1252; a BOM dropped; null when it holds NUL bytes. */
export function decodeText(bytes: Buffer): { text: string; encoding: "utf-8" | "windows-1252" } | null {
  if (bytes.indexOf(0) !== -1) return null;
  if (isUtf8(bytes)) {
    const text = bytes.toString("utf8");
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, encoding: "utf-8" };
  }
  return { text: decodeWindows1252(bytes), encoding: "windows-1252" };
}

/** The characters Windows-1252 puts at 0x80–0x9F (where Latin-1 has control characters), from iconv-lite's table. */
const CP1252_HIGH = iconv.decode(Buffer.from(Array.from({ length: 32 }, (_, i) => 0x80 + i)), "win1252");

/**
 * Windows-1252 text: Latin-1 (a native, fast decoding) with the 32 characters of 0x80–0x9F
 * (€, œ, ’, …) put back in place.
 */
export function decodeWindows1252(bytes: Buffer): string {
  const latin1 = bytes.toString("latin1");
  return latin1.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
}

/** The UTF-8 bytes of each Windows-1252 byte 0x80–0xFF (the decoding of `decodeWindows1252`). */
const CP1252_UTF8 = Array.from({ length: 128 }, (_, i) => Buffer.from(decodeWindows1252(Buffer.from([0x80 + i])), "utf8"));

/** Windows-1252 bytes as UTF-8 bytes: the text of `decodeWindows1252`, without making a string of it. */
export function windows1252ToUtf8(bytes: Buffer): Buffer {
  let size = bytes.length;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) size += CP1252_UTF8[bytes[i] - 0x80].length - 1;
  const out = Buffer.allocUnsafe(size);
  let o = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b < 0x80) out[o++] = b;
    else {
      const u = CP1252_UTF8[b - 0x80];
      for (let k = 0; k < u.length; k++) out[o++] = u[k];
    }
  }
  return out;
}

/** JavaScript's whitespace but the space, in Latin-1 text (Windows-1252 has none at 0x80–0x9F) … */
const OTHER_WHITESPACE_LATIN1 = /[\t\v\f\u00a0]/;
/** … and as the bytes of UTF-8 text read as Latin-1 (U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF). */
const OTHER_WHITESPACE_UTF8 = /[\t\v\f]|\xc2\xa0|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f|\xe3\x80\x80|\xef\xbb\xbf/;

/** Whether a line break is inside quotes (each `"` opens or closes a quoted stretch, as the readers see them). */
function quotedLineBreak(text: string): boolean {
  for (let open = text.indexOf('"'); open !== -1; ) {
    const close = text.indexOf('"', open + 1);
    const end = close === -1 ? text.length : close;
    const lf = text.indexOf("\n", open);
    const cr = text.indexOf("\r", open);
    if ((lf !== -1 && lf < end) || (cr !== -1 && cr < end)) return true;
    if (close === -1) return false;
    open = text.indexOf('"', close + 1);
  }
  return false;
}

/**
 * What a CSV file's bytes (UTF-8, or Windows-1252) hold: Windows-1252's 0x80–0x9F (€, œ, ’, …,
 * where Latin-1 has control characters), whitespace that `String.prototype.trim` removes other
 * than the space (tab, no-break spaces, …), a line break inside quotes. Read as Latin-1 text
 * (one byte, one character), which the regular expressions scan fastest.
 */
export function scanCsvBytes(bytes: Buffer, utf8: boolean): { c1: boolean; otherWhitespace: boolean; quotedLineBreak: boolean } {
  let text = bytes.toString("latin1");
  if (utf8 && text.startsWith("\xef\xbb\xbf")) text = text.slice(3);
  return {
    c1: !utf8 && /[\u0080-\u009f]/.test(text),
    otherWhitespace: (utf8 ? OTHER_WHITESPACE_UTF8 : OTHER_WHITESPACE_LATIN1).test(text),
    quotedLineBreak: quotedLineBreak(text),
  };
}

/** The first line of the text (outside quotes), to detect the delimiter. */
function firstLine(text: string): string {
  let inQuote = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) inQuote = !inQuote;
    else if (!inQuote && (c === 0x0a || c === 0x0d)) {
      if (text.slice(start, i).trim() === "") {
        start = i + 1;
        continue;
      }
      return text.slice(start, i);
    }
  }
  return text.slice(start);
}

export function csvDelimiter(text: string): string {
  return detectDelimiter(firstLine(text));
}

/** The header: the first record's fields, trimmed, and the line it is on (no record: none, line 1). */
export function csvHeader(text: string, delimiter: string): { header: string[]; line: number } {
  let header: string[] = [];
  let at = 1;
  parseCsv(text, delimiter, (fields, line) => {
    header = fields.map((f) => f.trim());
    at = line;
    return false;
  });
  return { header, line: at };
}

/**
 * Calls `onRecord` for every record (the header first), with its fields and start line, until it
 * returns false. A field
 * is quoted when it starts with `"`; a quote that never closes is reported through `onUnterminated`
 * with the line it opens on (the rest of the file is then that field, as DuckDB would read it).
 */
export function parseCsv(
  text: string,
  delimiter: string,
  onRecord: (fields: string[], line: number) => void | false,
  onUnterminated?: (line: number) => void,
): void {
  const d = delimiter.charCodeAt(0);
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    // Skip blank lines.
    const c0 = text.charCodeAt(i);
    if (c0 === 0x0a) {
      line++;
      i++;
      continue;
    }
    if (c0 === 0x0d) {
      i++;
      continue;
    }
    const start = line;
    const fields: string[] = [];
    for (;;) {
      if (text.charCodeAt(i) === 0x22) {
        // Quoted field.
        const opened = line;
        let value = "";
        let from = ++i;
        let closed = false;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === 0x22) {
            if (text.charCodeAt(i + 1) === 0x22) {
              value += text.slice(from, i + 1);
              i += 2;
              from = i;
              continue;
            }
            value += text.slice(from, i);
            i++;
            closed = true;
            break;
          }
          if (c === 0x0a) line++;
          i++;
        }
        if (!closed) {
          value += text.slice(from, i);
          onUnterminated?.(opened);
        }
        // Characters after the closing quote, up to the delimiter, belong to the field.
        const rest = i;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === d || c === 0x0a || c === 0x0d) break;
          i++;
        }
        fields.push(rest < i ? value + text.slice(rest, i) : value);
      } else {
        const from = i;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === d || c === 0x0a || c === 0x0d) break;
          i++;
        }
        fields.push(text.slice(from, i));
      }
      if (i >= n) break;
      const c = text.charCodeAt(i);
      if (c === d) {
        i++;
        continue;
      }
      // End of the record.
      if (c === 0x0d) i++;
      if (text.charCodeAt(i) === 0x0a) {
        i++;
        line++;
      }
      break;
    }
    if (onRecord(fields, start) === false) return;
  }
}
