import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { runTransaction, type Db } from "../db/database.server.ts";
import { databaseSql, ingestCountsSql } from "../db/generated-sql.server.ts";
import { listSql, loadSql } from "../db/sql-files.server.ts";
import { CHECK_COUNT, runChecks, type RowProblem } from "./checks.server.ts";
import { findExportFiles, prepareFile, type PreparedFile } from "./files.server.ts";
import { recordAtByte, scanRecordStarts, type RecordStarts } from "./lines.ts";
import { MAX_PROBLEMS_PER_FILE, countProblems, formatProblem, type Problem } from "./problems.ts";
import { EMPTYABLE_TABLES, PAIR_SCOPED, PROGRAM_TABLES, TABLES, type TableName } from "./spec.ts";
import { dropTempTables, stageTable, type StagedPart, type StagedTable } from "./stage.server.ts";

export { capEcho, capText, countProblems, formatProblem, type Problem } from "./problems.ts";

export interface IngestOptions {
  /** Validate and report, write nothing (not even the imports log). */
  dryRun?: boolean;
  /** Allow a re-import to take one of a program's tables from some rows to none. */
  allowEmptying?: boolean;
  onProgress?: (step: { phase: string; done: number; total: number }) => void;
  /** The paths the imports log records, when the files read are not the user's (a mapped import writes them). */
  logPaths?: string[];
  /** The files the imports log records instead of those read (a mapped import: the user's own). */
  logFiles?: { file: string; format: string; bytes: number; sha256: string }[];
  /**
   * The export's tables already in the database (a mapped import of CSV files): read instead of
   * the files of `paths`, each with the checksum that stands for its content.
   */
  relations?: { table: TableName; relation: string; sha256: string }[];
  /**
   * When the export has problems (invalid, or refused), leave no trace in the imports log: the
   * caller imports it again another way, which reports them (a mapped import, whose problems
   * name the user's files).
   */
  discardInvalid?: boolean;
}

export interface IngestResult {
  outcome: "imported" | "noop" | "invalid" | "refused" | "dry_run";
  importId: number | null;
  programs: { program_id: string; action: "added" | "replaced" | "unchanged" }[];
  /** Per table, for the programs in the export (organizations: the whole table). */
  rowCounts: Record<string, { before: number; after: number }>;
  /** Errors (outcome invalid or refused). */
  problems: Problem[];
  /** Unknown columns ignored, columns never stored, files ignored, … */
  warnings: string[];
}

/** Test-only: create this file and wait forever right after the first insert of the transaction. */
export const PAUSE_ENV = "BINOME_TEST_PAUSE_AFTER_FIRST_INSERT";

const queues = new WeakMap<object, Promise<unknown>>();
/** Import ids of attempts running in this process (the others left `running` were cut off). */
const activeImports = new Set<number>();

/**
 * Validates an export (folders and/or files) and, when it is valid, replaces its programs' data
 * in one transaction. Imports on one connection run one after the other (they share temp tables).
 */
export function ingestExport(db: Db, paths: string[], options: IngestOptions = {}): Promise<IngestResult> {
  const previous = queues.get(db.connection) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => ingest(db, paths, options));
  queues.set(db.connection, next);
  return next;
}

async function ingest(db: Db, paths: string[], options: IngestOptions): Promise<IngestResult> {
  const result: IngestResult = { outcome: "invalid", importId: null, programs: [], rowCounts: {}, problems: [], warnings: [] };
  const progress = (phase: string, done: number, total: number) => options.onProgress?.({ phase, done, total });
  const tempDir = mkdtempSync(join(tmpdir(), "binome-ingest-"));
  let importId: number | null = null;
  let files: PreparedFile[] = [];
  let checksum: string | null = null;
  let programIds: string[] = [];
  try {
    if (!options.dryRun) {
      importId = await logStart(db, options.logPaths ?? paths);
      activeImports.add(importId);
    }
    result.importId = importId;

    // 1. Files: names, bytes, encodings, headers.
    const found = options.relations ? { files: [], problems: [], warnings: [] } : findExportFiles(paths);
    result.warnings.push(...found.warnings);
    const fileProblems: Problem[] = [...found.problems];
    for (const r of options.relations ?? []) {
      files.push({ path: r.relation, name: r.table, table: r.table, format: "relation", sha256: r.sha256, bytes: 0, encoding: "binary", readPath: r.relation, delimiter: null, header: null });
    }
    for (const [i, file] of found.files.entries()) {
      progress("read", i, found.files.length);
      const { prepared, problems } = await prepareFile(file, tempDir);
      fileProblems.push(...problems);
      if (prepared) files.push(prepared);
    }
    progress("read", found.files.length, found.files.length);
    checksum = exportChecksum(files);

    // 2. Nothing to do when these exact files were the last import of their programs.
    if (fileProblems.length === 0 && !options.dryRun) {
      const noop = await findIdenticalImport(db, checksum);
      if (noop) {
        programIds = noop;
        result.outcome = "noop";
        result.programs = noop.map((program_id) => ({ program_id, action: "unchanged" }));
        result.rowCounts = await storedCounts(db, noop);
        for (const counts of Object.values(result.rowCounts)) counts.after = counts.before;
        await logEnd(db, importId, options.logFiles, "noop", { files, checksum, programIds, rowCounts: result.rowCounts, problems: 0 });
        return result;
      }
    }

    // 3. Staging and typing in DuckDB.
    for (const macro of listSql("ingest/macros")) await db.run(loadSql(macro));
    const staged = new Map<TableName, StagedTable>();
    const byTable = new Map<TableName, PreparedFile[]>(TABLES.map((t) => [t, files.filter((f) => f.table === t)]));
    for (const [i, table] of TABLES.entries()) {
      progress("stage", i, TABLES.length);
      const outcome = await stageTable(db, table, byTable.get(table)!);
      // A required file that is absent, or any file that could not be read, leaves its table incomplete.
      if (fileProblems.some((p) => problemTable(p) === table)) outcome.staged.complete = false;
      staged.set(table, outcome.staged);
      fileProblems.push(...outcome.problems);
      result.warnings.push(...outcome.warnings);
    }
    progress("stage", TABLES.length, TABLES.length);

    // 4. Validation: every check over every table, problems in file order. The first staging
    // keeps no raw text; tables with problems are staged again with it, to quote the values.
    let done = 0;
    let rowProblems = await runChecks(db, staged, MAX_PROBLEMS_PER_FILE, () => progress("validate", ++done, CHECK_COUNT));
    const withProblems = new Set(rowProblems.map((p) => p.table));
    if (withProblems.size > 0) {
      for (const table of withProblems) {
        const again = await stageTable(db, table, byTable.get(table)!, true);
        again.staged.complete = staged.get(table)!.complete;
        staged.set(table, again.staged);
      }
      rowProblems = await runChecks(db, staged, MAX_PROBLEMS_PER_FILE);
    }
    result.problems = await orderProblems(fileProblems, rowProblems, staged);
    result.warnings.push(...(await workforceWarnings(db, staged)));
    programIds = (await db.all<{ program_id: string }>(loadSql("ingest/export_program_ids"))).map((r) => r.program_id);
    const stored = new Set(
      (await db.all<{ program_id: string }>(loadSql("ingest/export_programs_stored"))).map((r) => r.program_id),
    );
    result.programs = programIds.map((program_id) => ({ program_id, action: stored.has(program_id) ? "replaced" : "added" }));
    const perProgram = await countsPerProgram(db);
    result.rowCounts = summarize(perProgram);
    if (result.problems.length > 0) {
      for (const counts of Object.values(result.rowCounts)) counts.after = counts.before;
      result.outcome = "invalid";
      if (options.discardInvalid) result.importId = importId = await discardLog(db, importId);
      await logEnd(db, importId, options.logFiles, "invalid", { files, checksum, programIds, rowCounts: result.rowCounts, problems: countProblems(result.problems) });
      return result;
    }

    // 5. Nothing is lost by accident: refuse to empty a table of a stored program.
    if (!options.allowEmptying) {
      for (const program of [...stored].sort()) {
        for (const table of EMPTYABLE_TABLES) {
          const counts = perProgram.get(program)?.get(table);
          if (counts && counts.before > 0 && counts.after === 0) {
            result.problems.push({
              file: byTable.get(table)?.[0]?.name ?? table,
              line: null,
              row: null,
              column: null,
              message: `program ${program} has ${counts.before} stored rows and none in this export: refusing to empty the table (use --allow-emptying to do it)`,
              value: null,
            });
          }
        }
      }
      if (result.problems.length > 0) {
        result.outcome = "refused";
        if (options.discardInvalid) result.importId = importId = await discardLog(db, importId);
        await logEnd(db, importId, options.logFiles, "refused", { files, checksum, programIds, rowCounts: result.rowCounts, problems: result.problems.length });
        return result;
      }
    }

    if (options.dryRun) {
      result.outcome = "dry_run";
      return result;
    }

    // 6. One transaction, or nothing. The log says "succeeded" inside that same transaction, so
    // a crash right after COMMIT cannot leave new data behind a log that says "running".
    await writeExport(db, progress, async () => {
      const written = summarize(await countsPerProgram(db, true));
      for (const table of TABLES) result.rowCounts[table].after = written[table].after;
      await logEnd(db, importId, options.logFiles, "succeeded", { files, checksum, programIds, rowCounts: result.rowCounts, problems: 0 });
    });
    result.outcome = "imported";
    return result;
  } catch (error) {
    if (importId !== null) {
      const message = error instanceof Error ? error.message : String(error);
      await logEnd(db, importId, options.logFiles, "failed", { files, checksum, programIds, rowCounts: result.rowCounts, problems: result.problems.length, message }).catch(() => undefined);
    }
    throw error;
  } finally {
    if (importId !== null) activeImports.delete(importId);
    await dropTempTables(db).catch(() => undefined);
    rmSync(tempDir, { recursive: true, force: true });
  }
}

function exportChecksum(files: PreparedFile[]): string {
  const hash = createHash("sha256");
  const lines = files.map((f) => `${TABLES.indexOf(f.table)}:${f.table}:${f.sha256}\n`).sort();
  for (const line of lines) hash.update(line);
  return hash.digest("hex");
}

async function logStart(db: Db, paths: string[]): Promise<number> {
  const rows = await db.all<{ id: number }>(loadSql("ingest/import_next_id"));
  const id = rows[0].id;
  await db.run(loadSql("ingest/import_start"), { id, paths: JSON.stringify(paths) });
  return id;
}

/** Removes an attempt from the imports log (`discardInvalid`); the import then has no id. */
async function discardLog(db: Db, importId: number | null): Promise<null> {
  if (importId !== null) {
    await db.run(loadSql("ingest/import_discard"), { id: importId });
    activeImports.delete(importId);
  }
  return null;
}

async function logEnd(
  db: Db,
  importId: number | null,
  logFiles: IngestOptions["logFiles"],
  status: string,
  info: { files: PreparedFile[]; checksum: string | null; programIds: string[]; rowCounts: IngestResult["rowCounts"]; problems: number; message?: string },
): Promise<void> {
  if (importId === null) return;
  const files = logFiles ?? info.files.map((f) => ({ file: f.name, table: f.table, format: f.format, encoding: f.encoding, bytes: f.bytes, sha256: f.sha256 }));
  await db.run(loadSql("ingest/import_end"), {
    id: importId,
    status,
    files: JSON.stringify(files),
    checksum: info.checksum,
    programs: JSON.stringify(info.programIds),
    counts: JSON.stringify(info.rowCounts),
    problems: info.problems,
    message: info.message ?? null,
  });
}

/** The programs of the last successful import with these exact files, if nothing replaced them since. */
async function findIdenticalImport(db: Db, checksum: string): Promise<string[] | null> {
  const rows = await db.all<{ program_ids: string[] }>(loadSql("ingest/identical_import"), { checksum });
  return rows.length ? rows[0].program_ids : null;
}

type Counts = Map<string, Map<TableName, { before: number; after: number }>>;

/** Rows per program and table: stored now (`before`) and in the export (`after`). */
async function countsPerProgram(db: Db, afterFromStore = false): Promise<Counts> {
  const counts: Counts = new Map();
  const add = (program: string, table: TableName, key: "before" | "after", n: number) => {
    const tables = counts.get(program) ?? new Map();
    counts.set(program, tables);
    const c = tables.get(table) ?? { before: 0, after: 0 };
    c[key] += Number(n);
    tables.set(table, c);
  };
  const exportPrograms = await db.all<{ program_id: string }>(loadSql("ingest/export_program_ids"));
  for (const table of PROGRAM_TABLES) {
    const stored = await db.all<{ program_id: string; n: number }>(ingestCountsSql.storedPerProgram(table));
    for (const r of stored) add(r.program_id, table, afterFromStore ? "after" : "before", r.n);
    if (afterFromStore) continue;
    // With one program, a pair-scoped table's rows all belong to it: no join needed.
    const incoming = PAIR_SCOPED.has(table) && exportPrograms.length === 1
      ? (await db.all<{ n: number }>(ingestCountsSql.staged(table))).map((r) => ({ program_id: exportPrograms[0].program_id, n: r.n }))
      : PAIR_SCOPED.has(table)
      ? await db.all<{ program_id: string; n: number }>(ingestCountsSql.stagedPerPairProgram(table))
      : await db.all<{ program_id: string; n: number }>(ingestCountsSql.stagedPerProgram(table));
    for (const r of incoming) add(r.program_id, table, "after", r.n);
  }
  const orgs = await db.all<{ before: number; added: number }>(loadSql("ingest/export_organizations_count"));
  const orgCounts = new Map<TableName, { before: number; after: number }>();
  const before = Number(orgs[0].before);
  orgCounts.set("organizations", { before, after: afterFromStore ? before : before + Number(orgs[0].added) });
  counts.set("\u0000organizations", orgCounts);
  return counts;
}

function summarize(perProgram: Counts): IngestResult["rowCounts"] {
  const out: IngestResult["rowCounts"] = {};
  for (const table of TABLES) out[table] = { before: 0, after: 0 };
  for (const tables of perProgram.values()) {
    for (const [table, c] of tables) {
      out[table].before += c.before;
      out[table].after += c.after;
    }
  }
  return out;
}

/** Current rows of some programs (noop report). */
async function storedCounts(db: Db, programIds: string[]): Promise<IngestResult["rowCounts"]> {
  const out: IngestResult["rowCounts"] = {};
  for (const table of TABLES) {
    const rows =
      table === "organizations"
        ? await db.all<{ n: number }>(loadSql("ingest/organizations_count"))
        : await db.all<{ n: number }>(ingestCountsSql.storedOfPrograms(table), { programs: JSON.stringify(programIds) });
    out[table] = { before: Number(rows[0].n), after: Number(rows[0].n) };
  }
  return out;
}

/** The table a file-level problem is about: its file is `<table>.<ext>` (maybe in a folder) or the table's name. */
function problemTable(p: Problem): TableName | null {
  const name = basename(p.file).toLowerCase();
  return TABLES.find((t) => name === t || name.startsWith(`${t}.`)) ?? null;
}

/**
 * Problems in the fixed order: per table, per file, whole-file problems first, then records by
 * line; at most 100 per file, then `… N more`. Record indexes become physical lines (CSV) or row
 * numbers (Parquet, JSON) here, and only for files that have problems.
 */
async function orderProblems(fileProblems: Problem[], rowProblems: RowProblem[], staged: Map<TableName, StagedTable>): Promise<Problem[]> {
  const out: Problem[] = fileProblems.filter((p) => problemTable(p) === null);
  const locators = new Map<StagedPart, Locator>();
  const locate = async (part: StagedPart) => {
    if (!locators.has(part)) locators.set(part, await locator(part));
    return locators.get(part)!;
  };
  for (const table of TABLES) {
    const s = staged.get(table)!;
    const mine = fileProblems.filter((p) => problemTable(p) === table);
    const partNames = new Set(s.parts.map((p) => p.file.name));
    out.push(...mine.filter((p) => !partNames.has(p.file)));
    for (const [index, part] of s.parts.entries()) {
      const name = part.file.name;
      const wholeFile = mine.filter((p) => p.file === name && p.line === null && p.row === null);
      const headerLevel = mine.filter((p) => p.file === name && (p.line !== null || p.row !== null));
      const rows = rowProblems.filter((p) => p.table === table && p.part === index);
      // Header-level problems first among problems of the same record (the sort is stable).
      const records: { key: number; problem: Problem }[] = headerLevel.map((p) => ({ key: p.line ?? p.row ?? 0, problem: p }));
      const total = wholeFile.length + headerLevel.length + part.rejects.length + (rows[0]?.total ?? 0);
      if (rows.length > 0 || part.rejects.length > 0) {
        const here = await locate(part);
        for (const r of part.rejects) {
          const line = here.reject(r.byte);
          records.push({ key: line, problem: { file: name, line, row: null, column: r.column, message: r.message, value: null } });
        }
        for (const r of rows) {
          const at = here.record(r.rec - part.start);
          let message = r.message;
          if (r.firstRec !== null) {
            const firstPart = s.parts.findLast((p) => p.start <= r.firstRec!) ?? part;
            const first = (await locate(firstPart)).record(r.firstRec - firstPart.start);
            const where = first.line !== null ? `line ${first.line}` : `row ${first.row}`;
            message = message.replace("{first}", firstPart === part ? where : `${where} of ${firstPart.file.name}`);
          }
          records.push({ key: at.line ?? at.row ?? 0, problem: { file: name, line: at.line, row: at.row, column: r.column, message, value: r.value } });
        }
      }
      records.sort((a, b) => a.key - b.key);
      const all = [...wholeFile, ...records.map((r) => r.problem)];
      out.push(...all.slice(0, MAX_PROBLEMS_PER_FILE));
      if (total > MAX_PROBLEMS_PER_FILE) out.push({ file: name, line: null, row: null, column: null, message: `… ${total - MAX_PROBLEMS_PER_FILE} more`, value: null });
    }
  }
  return out;
}

/**
 * The participants of a program whose export has a workforce but who are missing from it
 * (issue 13): a warning each, `FILE:LINE: participant_id: …`, at most 100 then `… N more`;
 * they are left out of the impact figures.
 */
async function workforceWarnings(db: Db, staged: Map<TableName, StagedTable>): Promise<string[]> {
  const participants = staged.get("participants")!;
  const workforce = staged.get("workforce")!;
  if (!participants.complete || !workforce.complete || workforce.rows === 0) return [];
  const rows = await db.all<{ rec: number; participant_id: string; n: number }>(loadSql("ingest/warn_participants_workforce"), { cap: MAX_PROBLEMS_PER_FILE });
  if (rows.length === 0) return [];
  const out: string[] = [];
  const locators = new Map<StagedPart, Locator>();
  for (const r of rows) {
    const rec = Number(r.rec);
    const part = participants.parts.findLast((p) => p.start <= rec) ?? participants.parts[0];
    if (!locators.has(part)) locators.set(part, await locator(part));
    const at = locators.get(part)!.record(rec - part.start);
    out.push(
      formatProblem({ file: part.file.name, line: at.line, row: at.row, column: "participant_id", message: "not in the workforce: left out of the impact figures", value: r.participant_id }),
    );
  }
  const total = Number(rows[0].n);
  if (total > rows.length) out.push(`${participants.parts[0].file.name}: … ${total - rows.length} more participants not in the workforce`);
  return out;
}

interface Locator {
  record: (rec: number) => { line: number | null; row: number | null };
  reject: (byte: number) => number;
}

async function locator(part: StagedPart): Promise<Locator> {
  const file = part.file;
  if (file.format !== "csv") return { record: (rec) => ({ line: null, row: rec + 1 }), reject: () => 1 };
  const starts: RecordStarts = await scanRecordStarts(file.readPath);
  const rejected = [...new Set(part.rejects.map((r) => recordAtByte(starts, r.byte)))].filter((i) => i > 0).sort((a, b) => a - b);
  // Staged rows are the data records DuckDB did not reject, in order.
  const record = (rec: number) => {
    let index = rec + 1;
    for (const r of rejected) if (r <= index) index++;
    return { line: starts.lines[index] ?? null, row: starts.lines[index] === undefined ? rec + 1 : null };
  };
  return { record, reject: (byte) => starts.lines[recordAtByte(starts, byte)] ?? 1 };
}

async function writeExport(
  db: Db,
  progress: (phase: string, done: number, total: number) => void,
  beforeCommit: () => Promise<void>,
): Promise<void> {
  const steps: { sql: string; insert: boolean; params?: Record<string, string> }[] = [];
  for (const table of [...PROGRAM_TABLES].reverse()) steps.push({ sql: ingestCountsSql.deleteExportPrograms(table), insert: false });
  steps.push({ sql: loadSql("ingest/write/organizations_update"), insert: false });
  steps.push({ sql: loadSql("ingest/write/organizations_insert"), insert: true });
  // With one program, the pair-scoped tables take its id without joining their pairs.
  const only = await db.all<{ program_id: string }>(loadSql("ingest/export_program_ids_all"));
  for (const table of PROGRAM_TABLES) {
    const oneProgram = only.length === 1 && PAIR_SCOPED.has(table);
    steps.push({ sql: loadSql(`ingest/write/${table}${oneProgram ? "_one_program" : ""}`), insert: true, params: oneProgram ? { program_id: only[0].program_id } : undefined });
  }
  const pauseFile = process.env[PAUSE_ENV];
  // The inserts keep the export's record order. In parallel, DuckDB keeps it by writing batches
  // and merging them, which costs a third more CPU than one thread appending (measured on the
  // 1M-meeting bench export): write on one thread, then give the database its threads back.
  const threads = await db.all<{ threads: string }>(loadSql("ingest/threads_setting"));
  await db.run(databaseSql.setThreads(1));
  try {
    await writeSteps(db, steps, progress, pauseFile, beforeCommit);
  } finally {
    await db.run(databaseSql.setThreads(Math.max(1, Math.trunc(Number(threads[0].threads)) || 1)));
  }
}

async function writeSteps(
  db: Db,
  steps: { sql: string; insert: boolean; params?: Record<string, string> }[],
  progress: (phase: string, done: number, total: number) => void,
  pauseFile: string | undefined,
  beforeCommit: () => Promise<void>,
): Promise<void> {
  let inserted = false;
  await runTransaction(db, async () => {
    for (const [i, step] of steps.entries()) {
      progress("write", i, steps.length);
      await db.run(step.sql, step.params);
      if (step.insert && !inserted) {
        inserted = true;
        if (pauseFile) await pauseForTest(pauseFile);
      }
    }
    await beforeCommit();
  });
  progress("write", steps.length, steps.length);
}

async function pauseForTest(path: string): Promise<never> {
  writeFileSync(path, String(process.pid));
  // An interval keeps the event loop alive: the test kills this process here.
  return new Promise<never>(() => setInterval(() => undefined, 60_000));
}

/** Import attempts, newest first; a `running` row from no live import reads `interrupted`. */
export async function listImports(db: Db, limit = 50): Promise<Record<string, unknown>[]> {
  const rows = await db.all<Record<string, unknown>>(loadSql("ingest/import_list"), { limit });
  return rows.map((r) => (r.status === "running" && !activeImports.has(Number(r.import_id)) ? { ...r, status: "interrupted" } : r));
}
