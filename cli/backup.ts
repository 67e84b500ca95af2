/** `npm run backup -- DIR`: the whole database as Parquet with a manifest (versions, checksums, counts). */
import { EXIT, UsageError, defaultDbPath, parseCommandLine, runCli } from "./common.ts";
import { BackupError, backupDatabase } from "../analytics/ops/backup.server.ts";

const HELP = `Usage: npm run backup -- [--db PATH] DIR

Writes the database (default BINOME_DB or data/binome.duckdb) into the new folder DIR:
DIR/data/ (DuckDB's EXPORT DATABASE: schema.sql, load.sql and one Parquet file per table) and
DIR/manifest.json (schema and DuckDB versions, rows per table, SHA-256 of every file).
Stop the server first: it holds the database file (exit 3 while it runs).
Restore with: npm run restore -- DIR`;

await runCli("backup", async () => {
  const parsed = parseCommandLine(HELP, { db: { type: "string" } }, { allowPositionals: true });
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError("give one backup folder");
  try {
    const manifest = await backupDatabase(values.db ?? defaultDbPath(), positionals[0]);
    const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
    process.stdout.write(`Backed up ${Object.keys(manifest.tables).length} tables (${rows} rows, schema version ${manifest.schema_version}) to ${positionals[0]}.\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof BackupError) {
      process.stderr.write(`backup: ${error.message}\n`);
      return EXIT.invalidInput;
    }
    throw error;
  }
});
