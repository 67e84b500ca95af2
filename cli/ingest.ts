import { statSync } from "node:fs";
import { EXIT, UsageError, defaultDbPath, parseCommandLine, runCli } from "./common.ts";
import { openAppDatabase } from "../analytics/db/open.server.ts";
import { capEcho, countProblems, formatProblem, type IngestResult } from "../analytics/ingest/index.server.ts";
import { loadMapping } from "../analytics/ingest/mapping/load.ts";
import { readSources } from "../analytics/ingest/mapping/ingest.server.ts";
import { PRESET_NAMES } from "../analytics/ingest/mapping/presets.ts";
import { suggestMapping } from "../analytics/ingest/mapping/suggest.ts";
import { importExport } from "../analytics/ops/import.server.ts";
import { uploadLimits } from "../analytics/ops/upload.server.ts";
import type { Mapping } from "../analytics/ingest/mapping/schema.ts";
import { rebuildDatabaseFile } from "../analytics/ops/rebuild.server.ts";

const HELP = `Usage: npm run -s ingest -- [--db PATH] [--dry-run] [--allow-emptying] [--mapping FILE] PATH…
       npm run -s ingest -- --suggest-mapping PATH… > my-layout.json

Validates an export (a folder of programs.csv, participants.parquet, …, or some of its files)
and, when it is valid, replaces its programs' data in the database in one transaction.
Several folders are several exports, imported one after the other, each all or nothing.
The format, and mapping files, are described in docs/export-format.md.

Options:
  --db PATH          database file (default: $BINOME_DB or data/binome.duckdb)
  --dry-run          validate and report; write nothing
  --allow-emptying   let a re-import empty a table of a program (a file missing from the export)
  --mapping FILE     the files are in another layout (CSV files, Excel workbooks): import them
                     through this mapping file, or a shipped preset (${PRESET_NAMES.join(", ")});
                     all the paths are then one export. An Excel workbook whose sheets are named
                     after the tables needs no mapping.
  --suggest-mapping  print a first mapping for these files (from their headers and values) on
                     stdout, to edit and give to --mapping; imports nothing
  -h, --help         show this help

After an import, participants erased earlier (the erasure ledger) are erased again, and the
database file is rebuilt so that no byte of theirs stays in it. Unlike the web import, this
command keeps no undo snapshot: take a backup first (npm run backup) to be able to go back.

Problems go to stderr, one per line: FILE:LINE: column: what is wrong ("value").
Exit codes: 0 imported or nothing to do, 1 invalid input (or refused), 2 wrong usage,
3 the database is held by another process.`;

async function main(): Promise<number> {
  const parsed = parseCommandLine(
    HELP,
    {
      db: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      "allow-emptying": { type: "boolean", default: false },
      mapping: { type: "string" },
      "suggest-mapping": { type: "boolean", default: false },
    },
    { allowPositionals: true },
  );
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError("give at least one export folder or file");
  if (values["suggest-mapping"]) {
    if (values.mapping) throw new UsageError("--suggest-mapping and --mapping do not go together");
    const read = readSources(positionals, uploadLimits());
    for (const warning of read.warnings) process.stderr.write(`warning: ${capEcho(warning)}\n`);
    if (read.problems.length > 0) {
      for (const problem of read.problems) process.stderr.write(formatProblem(problem) + "\n");
      return EXIT.invalidInput;
    }
    process.stdout.write(JSON.stringify(suggestMapping(read.sources), null, 2) + "\n");
    return EXIT.ok;
  }
  let mapping: { mapping: Mapping; name: string } | null = null;
  if (values.mapping) {
    const loaded = loadMapping(values.mapping);
    if (!loaded.ok) {
      for (const problem of loaded.problems) process.stderr.write(problem + "\n");
      process.stderr.write("The mapping is invalid: nothing was read.\n");
      return EXIT.invalidInput;
    }
    mapping = { mapping: loaded.mapping, name: loaded.name };
  }
  // With a mapping, every path is a source of one export.
  const exports = mapping ? [positionals] : groupExports(positionals);
  const path = values.db ?? defaultDbPath();
  const db = await openAppDatabase(path);
  let code: number = EXIT.ok;
  let erasedAgain = 0;
  try {
    for (const paths of exports) {
      // As the web import: the ingestion, then the erasure ledger (an export made before an
      // erasure may list the erased participant again).
      const imported = await importExport(db, paths, { dryRun: values["dry-run"], allowEmptying: values["allow-emptying"], mapping });
      report(imported.result, exports.length > 1 ? `${paths.join(" ")}: ` : "");
      if (imported.result.outcome === "invalid" || imported.result.outcome === "refused") code = EXIT.invalidInput;
      erasedAgain += imported.erasedAgain;
    }
  } finally {
    db.close();
  }
  if (erasedAgain > 0) {
    process.stdout.write(`Erased again ${plural(erasedAgain, "participant")} of the erasure ledger that the export listed; rebuilding the database file…\n`);
    await rebuildDatabaseFile(path);
    process.stdout.write("Rebuilt: none of their data is left in the file.\n");
  }
  return code;
}

/**
 * Each folder is one export (two programs' exports may reuse pair ids); files given one by one
 * form one export together.
 */
function groupExports(paths: string[]): string[][] {
  const groups: string[][] = [];
  let files: string[] | null = null;
  for (const path of paths) {
    let folder = false;
    try {
      folder = statSync(path).isDirectory();
    } catch {
      // A missing path is reported as a problem by the import.
    }
    if (folder) groups.push([path]);
    else if (files) files.push(path);
    else groups.push((files = [path]));
  }
  return groups;
}

function report(result: IngestResult, prefix: string): void {
  for (const warning of result.warnings) process.stderr.write(`warning: ${prefix}${capEcho(warning)}\n`);
  for (const problem of result.problems) process.stderr.write(prefix + formatProblem(problem) + "\n");
  const programs = result.programs.map((p) => `${p.program_id} (${p.action})`).join(", ") || "none";
  const counts = Object.entries(result.rowCounts)
    .filter(([, c]) => c.before !== 0 || c.after !== 0)
    .map(([table, c]) => (c.before === c.after ? `${table} ${c.after}` : `${table} ${c.before}→${c.after}`))
    .join(", ");
  switch (result.outcome) {
    case "imported":
      process.stdout.write(`${prefix}Imported (import #${result.importId}): ${programs}.\nRows: ${counts}.\n`);
      break;
    case "noop":
      process.stdout.write(`${prefix}Nothing to do: these files are already imported (${programs}).\n`);
      break;
    case "dry_run":
      process.stdout.write(`${prefix}Dry run: the export is valid; nothing was written. Programs: ${programs}.\nRows if imported: ${counts}.\n`);
      break;
    case "invalid":
      process.stderr.write(`${prefix}${plural(countProblems(result.problems), "problem")}: nothing was written.\n`);
      break;
    case "refused":
      process.stderr.write(`${prefix}Refused: the import would empty ${plural(result.problems.length, "table")}; nothing was written.\n`);
      break;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

await runCli("ingest", main);
