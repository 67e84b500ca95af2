import { createReadStream } from "node:fs";

/**
 * Where each record of a CSV file starts: its 1-based physical line and byte offset. DuckDB
 * counts records, not lines (a quoted field may span lines), so problems are mapped back to
 * physical lines with this scan. It runs only for files that have problems.
 *
 * Index 0 is the header; blank lines outside quotes are skipped, as DuckDB skips them.
 */
export interface RecordStarts {
  lines: number[];
  offsets: number[];
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

export async function scanRecordStarts(path: string): Promise<RecordStarts> {
  const lines: number[] = [];
  const offsets: number[] = [];
  let line = 1;
  let inQuote = false;
  let recordOpen = false;
  let offset = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (inQuote) {
        if (b === QUOTE) inQuote = false;
        else if (b === LF) line++;
        continue;
      }
      if (b === LF) {
        line++;
        recordOpen = false;
        continue;
      }
      if (b === CR) continue;
      if (!recordOpen) {
        // Skip a UTF-8 BOM at the very start: it belongs to no record.
        if (offset + i === 0 && b === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
          i += 2;
          continue;
        }
        recordOpen = true;
        lines.push(line);
        offsets.push(offset + i);
      }
      if (b === QUOTE) inQuote = true;
    }
    offset += chunk.length;
  }
  return { lines, offsets };
}

/**
 * The 1-based physical line on which a quoted field opens and never closes (the file ends inside
 * it), or null when every quote closes. Quotes are read as DuckDB reads them (`quote '"'`,
 * `escape '"'`): a doubled quote inside a field closes and reopens it on the same line. Runs only
 * when DuckDB could not read a file.
 */
export async function findUnterminatedQuote(path: string): Promise<number | null> {
  let line = 1;
  let inQuote = false;
  let openedOn = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === LF) line++;
      else if (b === QUOTE) {
        inQuote = !inQuote;
        if (inQuote) openedOn = line;
      }
    }
  }
  return inQuote ? openedOn : null;
}

/** The index (0 = header) of the record that starts at, or right after, byte `position`. */
export function recordAtByte(starts: RecordStarts, position: number): number {
  // DuckDB reports either the record's first byte or the line break before it.
  let lo = 0;
  let hi = starts.offsets.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts.offsets[mid] <= position + 1) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
