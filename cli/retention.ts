/** `npm run retention -- …`: list the programs past their retention period, purge them, set periods. */
import { existsSync } from "node:fs";
import { EXIT, UsageError, defaultDbPath, parseCommandLine, runCli } from "./common.ts";
import { applySchema } from "../analytics/db/database.server.ts";
import { openExclusive } from "../analytics/ops/file-db.server.ts";
import { migrateDatabase } from "../analytics/db/migrate.server.ts";
import { rebuildDatabaseFile } from "../analytics/ops/rebuild.server.ts";
import { purgeExpired } from "../analytics/ops/programs.server.ts";
import { defaultRetentionMonths, listRetention, setRetention, type RetentionRow } from "../analytics/ops/retention.server.ts";

const HELP = `Usage: npm run retention -- [options] [COMMAND]

Commands:
  list (default)            every program, its retention period and the day it may be purged
  purge --yes               delete the programs past their retention (data, undo snapshots,
                            simulation runs), then rebuild the database file
  set PROGRAM_ID MONTHS     keep this program MONTHS months after its end date
  unset PROGRAM_ID          back to the default period

Options:
  --db PATH                 default BINOME_DB or data/binome.duckdb
  --default-months N        default period (else BINOME_RETENTION_MONTHS, else 24)
  --today YYYY-MM-DD        the day to compare with (default: today)
  --format json             machine-readable list
The server holds the database file: stop it first (exit 3 while it runs).`;

await runCli("retention", async () => {
  const parsed = parseCommandLine(
    HELP,
    {
      db: { type: "string" },
      "default-months": { type: "string" },
      today: { type: "string" },
      format: { type: "string", default: "text" },
      yes: { type: "boolean", default: false },
    },
    { allowPositionals: true },
  );
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  const [command = "list", ...rest] = positionals;
  const defaultMonths = values["default-months"] !== undefined ? Number(values["default-months"]) : defaultRetentionMonths();
  if (!Number.isInteger(defaultMonths) || defaultMonths < 0) throw new UsageError(`--default-months must be a whole number of months (${values["default-months"]})`);
  if (values.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.today)) throw new UsageError(`--today must be YYYY-MM-DD (${values.today})`);
  if (!["list", "purge", "set", "unset"].includes(command)) throw new UsageError(`unknown command ${command}`);
  const path = values.db ?? defaultDbPath();
  if (!existsSync(path)) {
    process.stderr.write(`retention: no database at ${path}\n`);
    return EXIT.invalidInput;
  }
  const options = { defaultMonths, today: values.today };
  const handle = await openExclusive(path);
  let purged: RetentionRow[] = [];
  try {
    await migrateDatabase(handle.db);
    await applySchema(handle.db);
    const db = handle.db;
    if (command === "set" || command === "unset") {
      const [programId, months] = rest;
      if (!programId || (command === "set" && months === undefined)) throw new UsageError(`${command} needs PROGRAM_ID${command === "set" ? " MONTHS" : ""}`);
      await setRetention(db, programId, command === "set" ? Number(months) : null);
      process.stdout.write(`${programId}: ${command === "set" ? `${months} months` : `default (${defaultMonths} months)`} after its end date.\n`);
      return EXIT.ok;
    }
    if (command === "purge" && values.yes) {
      purged = await purgeExpired(db, options);
      process.stdout.write(purged.length ? `Purged ${purged.map((r) => r.program_id).join(", ")}.\n` : "No program is past its retention period.\n");
    } else {
      const rows = await listRetention(db, options);
      if (values.format === "json") process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else {
        for (const r of rows) {
          process.stdout.write(`${r.is_due ? "DUE " : "    "}${r.program_id}\tended ${r.end_date}\tkept ${r.retention_months} months${r.is_custom ? "" : " (default)"}\tpurge after ${r.purge_after}\n`);
        }
        if (command === "purge") process.stdout.write(`${rows.filter((r) => r.is_due).length} program(s) due. Nothing was deleted: add --yes to purge them.\n`);
      }
    }
  } finally {
    handle.close();
  }
  if (purged.length > 0) await rebuildDatabaseFile(path);
  return EXIT.ok;
});
