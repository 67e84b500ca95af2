import { parseArgs } from "node:util";
import { EXIT, UsageError, defaultDbPath, runCli } from "../cli/common.server.ts";
import { openAppDatabase } from "../db/database.server.ts";
import { formatProblem, ingestExport, type IngestResult } from "./index.server.ts";

const HELP = `Usage: npm run -s ingest -- [--db PATH] [--dry-run] [--allow-emptying] PATH…

Validates an export (folders of programs.csv, participants.parquet, … and/or single files) and,
when it is valid, replaces its programs' data in the database in one transaction.
The format is described in docs/export-format.md.

Options:
  --db PATH          database file (default: $BINOME_DB or data/binome.duckdb)
  --dry-run          validate and report; write nothing
  --allow-emptying   let a re-import empty a table of a program (a file missing from the export)
  -h, --help         show this help

Problems go to stderr, one per line: FILE:LINE: column: what is wrong ("value").
Exit codes: 0 imported or nothing to do, 1 invalid input (or refused), 2 wrong usage,
3 the database is held by another process.`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        db: { type: "string" },
        "dry-run": { type: "boolean", default: false },
        "allow-emptying": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP + "\n");
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError("give at least one export folder or file");
  const db = await openAppDatabase(values.db ?? defaultDbPath());
  try {
    const result = await ingestExport(db, positionals, { dryRun: values["dry-run"], allowEmptying: values["allow-emptying"] });
    report(result);
    return result.outcome === "invalid" || result.outcome === "refused" ? EXIT.invalidInput : EXIT.ok;
  } finally {
    db.close();
  }
}

function report(result: IngestResult): void {
  for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
  for (const problem of result.problems) process.stderr.write(formatProblem(problem) + "\n");
  const programs = result.programs.map((p) => `${p.program_id} (${p.action})`).join(", ") || "none";
  const counts = Object.entries(result.rowCounts)
    .filter(([, c]) => c.before !== 0 || c.after !== 0)
    .map(([table, c]) => (c.before === c.after ? `${table} ${c.after}` : `${table} ${c.before}→${c.after}`))
    .join(", ");
  switch (result.outcome) {
    case "imported":
      process.stdout.write(`Imported (import #${result.importId}): ${programs}.\nRows: ${counts}.\n`);
      break;
    case "noop":
      process.stdout.write(`Nothing to do: these files are already imported (${programs}).\n`);
      break;
    case "dry_run":
      process.stdout.write(`Dry run: the export is valid; nothing was written. Programs: ${programs}.\nRows if imported: ${counts}.\n`);
      break;
    case "invalid":
      process.stderr.write(`${plural(countErrors(result), "problem")}: nothing was written.\n`);
      break;
    case "refused":
      process.stderr.write(`Refused: the import would empty ${plural(result.problems.length, "table")}; nothing was written.\n`);
      break;
  }
}

function countErrors(result: IngestResult): number {
  let n = 0;
  for (const p of result.problems) {
    const more = /^… (\d+) more$/.exec(p.message);
    n += more ? Number(more[1]) : 1;
  }
  return n;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

await runCli("ingest", main);
