/**
 * The web import of files in another layout (issue #17, web flow): upload → mapping → preview →
 * import. An uploaded batch that is not an export in Binôme's format (a workbook whose sheets are
 * not the tables, CSV files not named after them) gets a mapping proposed — a saved preset for
 * the same headers, else a shipped preset that fits, else a suggestion from the headers and
 * values — which the page shows as an editable table. Every preview is the dry run of
 * `importExport` with that mapping (validated here again with the zod schema), plus its first
 * rows as they will be imported. The mapping of the last valid preview is kept with the batch
 * for the confirm step; the import is the one every export takes, all or nothing.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { Scope } from "../auth/scope.server.ts";
import type { Db } from "../db/database.server.ts";
import { withOpsLock } from "../db/transaction.server.ts";
import { capEcho, capText, formatProblem, type Problem } from "../ingest/index.server.ts";
import { identityMapping, mappingUsesPseudonyms, readSources } from "../ingest/mapping/ingest.server.ts";
import { PRESETS } from "../ingest/mapping/presets.ts";
import { parseMapping, ruleSources, type Mapping, type MappingInput } from "../ingest/mapping/schema.ts";
import { sampleRows, type Cell, type Source } from "../ingest/mapping/sources.server.ts";
import { suggestMapping } from "../ingest/mapping/suggest.ts";
import { applyMapping, findSource, headerKey } from "../ingest/mapping/transform.ts";
import { TABLES, tableSpec, type TableName } from "../ingest/spec.ts";
import { ledgerSecret } from "./erasure.server.ts";
import { toReport, type ImportReport } from "./import-jobs.server.ts";
import { importExport } from "./import.server.ts";
import { headersKey, presetsForSources } from "./mapping-presets.server.ts";
import { uploadLimits, type UploadBatch } from "./upload.server.ts";

/** How many data rows of each source, and of each mapped table, the page shows. */
export const PREVIEW_ROWS = 5;

/** A source (a CSV file or a sheet) as the page shows it: its name, headers and first rows, as text. */
export interface SourceView {
  /** What a mapping's `source` names it by: the sheet, or the file's name without extension. */
  name: string;
  display: string;
  headers: string[];
  rows: string[][];
}

/** The columns of each table of the format, for the mapping table's rows. */
export type TargetColumns = Record<string, { name: string; required: boolean }[]>;

export interface MappingProposal {
  mapping: MappingInput;
  /** Where it came from: a preset saved for these headers, a shipped preset, or the suggestion. */
  origin: { kind: "saved" | "shipped" | "suggested"; name: string };
  /** The saved presets for these headers (the page lets the operator pick another). */
  saved: string[];
}

export interface MappedPreview {
  report: ImportReport;
  /** The first rows of each table as they will be imported (the format's columns). */
  tables: { table: string; columns: string[]; rows: (string | null)[][]; total: number }[];
}

export class MappingRefused extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "MappingRefused";
  }
}

const cellText = (cell: Cell): string => (cell === null ? "" : typeof cell === "object" ? cell.date : String(cell));

/**
 * Whether an uploaded batch needs a mapping: a workbook whose sheets are not all named after the
 * tables, or a CSV file that is not (`participants.csv`). The native import reads the others.
 */
export function batchNeedsMapping(files: string[]): boolean {
  const tables = new Set<string>(TABLES);
  const csv = files.filter((f) => /\.(csv|txt|tsv)$/i.test(f));
  if (csv.some((f) => !tables.has(basename(f).replace(/\.[^.]*$/, "").toLowerCase()))) return true;
  const workbooks = files.filter((f) => /\.xlsx$/i.test(f));
  if (workbooks.length === 0) return false;
  const read = readSources(workbooks, uploadLimits());
  if (read.problems.length > 0) return false; // the native path reports them
  const identity = identityMapping(read.sources);
  return identity.parts.length < read.sources.length || !identity.parts.some((p) => p.table === "programs");
}

/**
 * The batch's sources (every CSV file and sheet), or the problems that keep them from being read.
 * With `scan` (at upload), every CSV file is read through once, so that a quote that never closes
 * or a record of the wrong length is named with its line at once, before any mapping (issue 14
 * item 8: the unterminated-quote case gave no line).
 */
export function batchSources(batch: UploadBatch, { scan = false } = {}): { sources: Source[]; problems: Problem[]; warnings: string[] } {
  const read = readSources(batch.files, uploadLimits());
  if (!scan || read.problems.length > 0) return read;
  const problems: Problem[] = [];
  for (const source of read.sources) {
    if (source.sheet !== null) continue;
    source.each(() => undefined);
    problems.push(...source.problems);
  }
  return { ...read, problems };
}

export function sourceViews(sources: Source[]): SourceView[] {
  return sources.map((s) => ({
    name: s.sheet ?? s.file.name.replace(/\.[^.]*$/, ""),
    display: capText(s.display, 160),
    headers: s.headers.map((h) => capText(h)),
    rows: sampleRows(s, PREVIEW_ROWS).map((r) => r.map((c) => capText(cellText(c)))),
  }));
}

export function targetColumns(): TargetColumns {
  const out: TargetColumns = {};
  for (const t of TABLES) out[t] = tableSpec(t).columns.map((c) => ({ name: c.name, required: c.required && c.defaultValue === undefined }));
  return out;
}

/** Whether every part of a mapping finds its source (an optional part may have none) and every column it reads. */
function fits(mapping: Mapping, sources: Source[]): boolean {
  for (const part of mapping.parts) {
    const found = findSource(sources, part.source);
    if (found.length === 0 && part.optional) continue;
    if (found.length !== 1) return false;
    const headers = new Set(found[0].headers.map(headerKey));
    const ns = part.repeat ?? [null];
    for (const [, rule] of part.columns) for (const n of ns) for (const h of ruleSources(rule, n)) if (!headers.has(headerKey(h))) return false;
  }
  return mapping.parts.length > 0;
}

/** The mapping to propose for these sources: a saved preset for the same headers, a shipped preset that fits, or a suggestion. */
export async function proposeMapping(db: Db, scope: Scope, sources: Source[]): Promise<MappingProposal> {
  const saved = await presetsForSources(db, scope, sources);
  if (saved.length > 0) return { mapping: saved[0].mapping as MappingInput, origin: { kind: "saved", name: saved[0].name }, saved: saved.map((p) => p.name) };
  for (const [name, input] of Object.entries(PRESETS)) {
    const parsed = parseMapping(input, name);
    if (parsed.ok && fits(parsed.mapping, sources)) return { mapping: input, origin: { kind: "shipped", name }, saved: [] };
  }
  return { mapping: suggestMapping(sources), origin: { kind: "suggested", name: "suggested" }, saved: [] };
}

/** The headers key of the batch (for saving a preset proposed to the next upload with these headers). */
export function batchHeadersKey(sources: Source[]): string {
  return headersKey(sources);
}

/**
 * A mapping as the page sends it (JSON text), checked with the schema: the parsed mapping and its
 * JSON, or the problems, one per line, in the person's words. Never throws.
 */
export function readMappingText(text: unknown): { ok: true; input: unknown; mapping: Mapping } | { ok: false; problems: string[] } {
  if (typeof text !== "string" || text.trim() === "") return { ok: false, problems: ["no mapping was sent"] };
  if (text.length > 1_000_000) return { ok: false, problems: ["the mapping is larger than 1 MB"] };
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`the mapping is not valid JSON: ${capEcho(error instanceof Error ? error.message : String(error))}`] };
  }
  const parsed = parseMapping(input, "mapping");
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map((p) => capEcho(p)) };
  return { ok: true, input, mapping: parsed.mapping };
}

/** The first rows of each mapped table, as the import will read them (no database). */
async function firstRows(db: Db, mapping: Mapping, sources: Source[]): Promise<MappedPreview["tables"]> {
  const secret = mappingUsesPseudonyms(mapping) ? await ledgerSecret(db) : null;
  const kept = new Map<TableName, { rows: (string | null)[][]; total: number }>();
  const mapped = applyMapping(mapping, sources, secret, "mapping", (table) => {
    const entry = { rows: [] as (string | null)[][], total: 0 };
    kept.set(table, entry);
    return {
      add(row) {
        entry.total++;
        if (entry.rows.length < PREVIEW_ROWS) entry.rows.push(row);
      },
    };
  });
  const hasPart = new Set(mapping.parts.map((p) => p.table));
  const out: MappedPreview["tables"] = [];
  for (const table of TABLES) {
    if (!hasPart.has(table)) continue;
    const t = mapped.tables.get(table)!;
    const entry = t.streamed ? kept.get(table)! : { rows: t.rows.slice(0, PREVIEW_ROWS), total: t.rows.length };
    out.push({ table, columns: t.columns, rows: entry.rows.map((r) => r.map((v) => (v === null ? null : capText(v)))), total: entry.total });
  }
  return out;
}

/** The dry run of the batch through this mapping, and its first rows; writes nothing. */
export async function previewMapped(db: Db, batch: UploadBatch, mapping: Mapping, name: string): Promise<MappedPreview> {
  return withOpsLock(db, async () => {
    const { result } = await importExport(db, batch.files, { dryRun: true, mapping: { mapping, name } });
    const report = toReport(result);
    const tables = report.problems.length === 0 ? await firstRows(db, mapping, batchSources(batch).sources) : [];
    return { report, tables };
  });
}

/** Keeps the mapping of a valid preview with the batch (0600, removed with it), for the confirm step. */
export function keepBatchMapping(batch: UploadBatch, input: unknown, name: string): void {
  writeFileSync(join(batch.dir, "mapping.json"), JSON.stringify({ name, mapping: input }), { mode: 0o600 });
}

/** The mapping kept with the batch, checked again; null when there is none (a native export). */
export function batchMapping(batch: UploadBatch): { mapping: Mapping; name: string } | null {
  let kept: { name: string; mapping: unknown };
  try {
    kept = JSON.parse(readFileSync(join(batch.dir, "mapping.json"), "utf8"));
  } catch {
    return null;
  }
  const parsed = parseMapping(kept.mapping, kept.name);
  if (!parsed.ok) throw new MappingRefused(parsed.problems);
  return { mapping: parsed.mapping, name: kept.name };
}

/** A mapping's JSON in one spelling (no spaces), to compare two texts of it; null when it is not JSON. */
function canonical(text: string): string | null {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return null;
  }
}

/**
 * Whether the mapping a confirm sends is the one kept with the batch (the last valid preview). The
 * page sends the mapping it shows with "Import now": after an edit that was not previewed, the
 * import is refused, so what is imported is always what was previewed and what the page shows.
 */
export function isKeptMapping(batch: UploadBatch, text: unknown): boolean {
  if (typeof text !== "string" || text.length > 1_000_000) return false;
  let kept: { mapping: unknown };
  try {
    kept = JSON.parse(readFileSync(join(batch.dir, "mapping.json"), "utf8"));
  } catch {
    return false;
  }
  const sent = canonical(text);
  return sent !== null && sent === JSON.stringify(kept.mapping);
}

/** Forgets the kept mapping (a preview was asked: only a valid one may be imported). */
export function removeKeptMapping(batch: UploadBatch): void {
  rmSync(join(batch.dir, "mapping.json"), { force: true });
}

/** The report of files that could not be read at all (no mapping can help). */
export function sourceProblemsReport(problems: Problem[], warnings: string[]): ImportReport {
  const rowCounts: ImportReport["rowCounts"] = [];
  return { outcome: "invalid", importId: null, programs: [], rowCounts, problems: problems.map((p) => ({ ...p, text: formatProblem(p) })), warnings };
}
