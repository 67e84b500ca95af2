import { statSync } from "node:fs";
import { EXIT, UsageError, defaultDbPath, parseCommandLine, runCli } from "./common.ts";
import { openAppDatabase } from "../analytics/db/open.server.ts";
import { countProblems, formatProblem, type IngestResult } from "../analytics/ingest/index.server.ts";
import { importExport } from "../analytics/ops/import.server.ts";
import { rebuildDatabaseFile } from "../analytics/ops/rebuild.server.ts";

const HELP = `Usage: npm run -s ingest -- [--db PATH] [--dry-run] [--allow-emptying] PATH…

Validates an export (a folder of programs.csv, participants.parquet, …, or some of its files)
and, when it is valid, replaces its programs' data in the database in one transaction.
Several folders are several exports, imported one after the other, each all or nothing.
The format is described in docs/export-format.md.

Options:
  --db PATH          database file (default: $BINOME_DB or data/binome.duckdb)
  --dry-run          validate and report; write nothing
  --allow-emptying   let a re-import empty a table of a program (a file missing from the export)
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
    },
    { allowPositionals: true },
  );
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError("give at least one export folder or file");
  const exports = groupExports(positionals);
  const path = values.db ?? defaultDbPath();
  const db = await openAppDatabase(path);
  let code: number = EXIT.ok;
  let erasedAgain = 0;
  try {
    for (const paths of exports) {
      // As the web import: the ingestion, then the erasure ledger (an export made before an
      // erasure may list the erased participant again).
      const imported = await importExport(db, paths, { dryRun: values["dry-run"], allowEmptying: values["allow-emptying"] });
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
  for (const warning of result.warnings) process.stderr.write(`warning: ${prefix}${warning}\n`);
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
