import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import type { Db } from "../../analytics/db/database.server.ts";
import { formatProblem } from "../../analytics/ingest/index.server.ts";
import { PRESETS } from "../../analytics/ingest/mapping/presets.ts";
import { parseMapping, type Mapping, type MappingInput } from "../../analytics/ingest/mapping/schema.ts";
import { importExport, type ImportOptions } from "../../analytics/ops/import.server.ts";
import iconv from "iconv-lite";
import { csvDelimiter, decodeText, parseCsv } from "../../analytics/ingest/mapping/csv.ts";
import { writeFlatLayout } from "../../seeds/flat-layout.ts";
import { generateDemo } from "../../seeds/generate.ts";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "binome-mapping-test-"));
  made.push(dir);
  return dir;
}

export function subDir(base: string, name: string): string {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

let octave: Promise<string> | null = null;
/** octave-demo's native export folder, generated once per test file. */
export function octaveDemo(): Promise<string> {
  octave ??= generateDemo({ outDir: tempDir(), programs: ["octave-demo"] }).then((r) => r.folders[0].dir);
  return octave;
}

export function mapping(input: MappingInput | unknown, name = "mapping.json"): { mapping: Mapping; name: string } {
  const parsed = parseMapping(input, name);
  if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
  return { mapping: parsed.mapping, name };
}

export const preset = (name: string) => mapping(PRESETS[name], name);

/** Imports through importExport and returns the result with its problems as the CLI prints them. */
export async function run(db: Db, paths: string[], options: ImportOptions = {}) {
  const { result } = await importExport(db, paths, options);
  return { ...result, lines: result.problems.map(formatProblem) };
}

/**
 * A copy of `native` written as flat French CSV files, with one file edited record by record
 * (header = index 0), written back `;`-delimited in Windows-1252 (or UTF-8 with a BOM).
 */
export function editedFlatCsv(native: string, file: string, edit: (records: string[][]) => void, encoding: "win1252" | "utf8-bom" = "win1252"): string {
  const dir = subDir(tempDir(), "edited");
  writeFlatLayout(native, dir, "flat-fr", "csv", "octave-demo");
  const decoded = decodeText(readFileSync(join(dir, file)))!;
  const records: string[][] = [];
  parseCsv(decoded.text, csvDelimiter(decoded.text), (fields) => {
    records.push(fields);
  });
  edit(records);
  const text = records.map((r) => r.map((f) => (/[;"\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(";")).join("\r\n") + "\r\n";
  writeFileSync(join(dir, file), encoding === "win1252" ? iconv.encode(text, "win1252") : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]));
  return dir;
}

/** The index of a header in the records' first row. */
export function headerIndex(records: string[][], header: string): number {
  const i = records[0].indexOf(header);
  if (i === -1) throw new Error(`no ${header}`);
  return i;
}
