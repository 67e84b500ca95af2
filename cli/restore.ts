/** `npm run restore -- DIR`: rebuilds the database from a backup and swaps it in atomically. */
import { EXIT, UsageError, defaultDbPath, parseCommandLine, runCli } from "./common.ts";
import { BackupError, restoreDatabase } from "../analytics/ops/backup.server.ts";
import { MigrationError } from "../analytics/db/migrate.server.ts";

const HELP = `Usage: npm run restore -- [--db PATH] DIR

Checks the backup in DIR against its manifest, restores it into a new file next to the database
(default BINOME_DB or data/binome.duckdb), upgrades it to this version's schema, re-applies the
erasure ledger of the file it replaces (a participant erased after the backup stays erased),
then puts it in place with one rename. The current file is untouched until that rename.
Stop the server first: it holds the database file (exit 3 while it runs).`;

await runCli("restore", async () => {
  const parsed = parseCommandLine(HELP, { db: { type: "string" } }, { allowPositionals: true });
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError("give one backup folder");
  const path = values.db ?? defaultDbPath();
  try {
    const report = await restoreDatabase(positionals[0], path);
    process.stdout.write(
      `Restored ${path} from the backup of ${report.manifest.created_at}` +
        (report.reErased > 0 ? `; re-erased ${report.reErased} participant(s) listed in the erasure ledger` : "") +
        ".\n",
    );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof BackupError || error instanceof MigrationError) {
      process.stderr.write(`restore: ${error.message}\n`);
      return EXIT.invalidInput;
    }
    throw error;
  }
});
