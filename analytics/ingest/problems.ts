/** One problem found in an export: a file, where in it, which column, what is wrong. */
export interface Problem {
  /** The file's name within the export (or a table name when the file is absent). */
  file: string;
  /** 1-based physical line where the record starts (CSV); the header is line 1. */
  line: number | null;
  /** 1-based record number (Parquet, JSON). */
  row: number | null;
  column: string | null;
  message: string;
  value: string | null;
}

export const MAX_VALUE_CHARS = 80;
export const MAX_PROBLEMS_PER_FILE = 100;

/**
 * `FILE:LINE: column: what is wrong ("value")`, `FILE:row N: …` for Parquet and JSON, and
 * `FILE: …` for problems about a whole file. The value is JSON-quoted and cut at 80 characters.
 */
export function formatProblem(p: Problem): string {
  const where = p.line !== null ? `${p.file}:${p.line}:` : p.row !== null ? `${p.file}:row ${p.row}:` : `${p.file}:`;
  const column = p.column ? ` ${capText(p.column)}:` : "";
  return `${where}${column} ${capEcho(p.message)}${p.value === null ? "" : ` (${quoteValue(p.value)})`}`;
}

export function quoteValue(value: string): string {
  return JSON.stringify(capText(value));
}

/** The longest text echoed back whole: a warning, a problem's message (issue 14 item 8). */
export const MAX_ECHO_CHARS = 300;

/** A value (a cell, a header) cut at `max` characters (code points), with "…" where cut. */
export function capText(text: string, max = MAX_VALUE_CHARS): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  return chars.length > max ? chars.slice(0, max).join("") + "…" : text;
}

const QUOTED = /"(?:[^"\\]|\\.)*"/g;

/**
 * Any text of the user's files echoed back to a person, on the page and by the CLI alike (a
 * warning, a problem's message): each quoted value within it cut at 80 characters, the whole at
 * 300. A malformed file's header can be one "column name" of thousands of characters; echoed
 * whole, it made the import page 38,972 px wide.
 */
export function capEcho(text: string, max = MAX_ECHO_CHARS): string {
  if (text.length <= MAX_VALUE_CHARS + 2) return text;
  const quoted = text.replace(QUOTED, (q) => {
    if (q.length <= MAX_VALUE_CHARS + 2) return q;
    let inner: string;
    try {
      inner = JSON.parse(q) as string;
    } catch {
      inner = q.slice(1, -1);
    }
    return JSON.stringify(capText(inner));
  });
  return capText(quoted, max);
}

export function fileProblem(file: string, message: string, column: string | null = null, line: number | null = null): Problem {
  return { file, line, row: null, column, message, value: null };
}

/** How many problems a list stands for: a `… N more` line counts N. */
export function countProblems(problems: Problem[]): number {
  let n = 0;
  for (const p of problems) {
    const more = /^… (\d+) more$/.exec(p.message);
    n += more ? Number(more[1]) : 1;
  }
  return n;
}
