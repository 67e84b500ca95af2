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
  const column = p.column ? ` ${p.column}:` : "";
  return `${where}${column} ${p.message}${p.value === null ? "" : ` (${quoteValue(p.value)})`}`;
}

export function quoteValue(value: string): string {
  const chars = Array.from(value);
  return JSON.stringify(chars.length > MAX_VALUE_CHARS ? chars.slice(0, MAX_VALUE_CHARS).join("") + "…" : value);
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
