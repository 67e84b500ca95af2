/** `npm run erase -- …`: a participant's erasure (GDPR) and export, and the file rebuild. */
import { existsSync } from "node:fs";
import { EXIT, UsageError, defaultDbPath, parseCommandLine, runCli } from "./common.ts";
import { applySchema } from "../analytics/db/database.server.ts";
import { ErasureError, eraseParticipant, exportParticipant } from "../analytics/ops/erasure.server.ts";
import { openExclusive } from "../analytics/ops/file-db.server.ts";
import { migrateDatabase } from "../analytics/db/migrate.server.ts";
import { rebuildDatabaseFile } from "../analytics/ops/rebuild.server.ts";

const HELP = `Usage: npm run erase -- [--db PATH] COMMAND

Commands:
  erase PROGRAM_ID PARTICIPANT_ID   remove the participant everywhere (pairs, their meetings,
                                    evaluations and topics, undo snapshots, simulation runs that
                                    name them), record a keyed hash in the erasure ledger, then
                                    rebuild the database file so no deleted byte remains
  export PROGRAM_ID PARTICIPANT_ID  print everything held about the participant as JSON
  compact                           rebuild the database file (after erasures made in the web page)

The server holds the database file: stop it first (exit 3 while it runs).
Options: --db PATH (default BINOME_DB or data/binome.duckdb), --help`;

await runCli("erase", async () => {
  const parsed = parseCommandLine(HELP, { db: { type: "string" } }, { allowPositionals: true });
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  const [command, programId, participantId] = positionals;
  const path = values.db ?? defaultDbPath();
  if (!command || !["erase", "export", "compact"].includes(command)) throw new UsageError("give a command: erase, export or compact");
  if (command !== "compact" && (!programId || !participantId || positionals.length !== 3)) throw new UsageError(`${command} needs PROGRAM_ID PARTICIPANT_ID`);
  if (!existsSync(path)) {
    process.stderr.write(`erase: no database at ${path}\n`);
    return EXIT.invalidInput;
  }
  if (command === "compact") {
    await rebuildDatabaseFile(path);
    process.stdout.write(`Rebuilt ${path}: deleted rows leave no bytes in it.\n`);
    return EXIT.ok;
  }
  const handle = await openExclusive(path);
  try {
    await migrateDatabase(handle.db);
    await applySchema(handle.db);
    if (command === "export") {
      process.stdout.write(`${JSON.stringify(await exportParticipant(handle.db, programId, participantId), null, 2)}\n`);
      return EXIT.ok;
    }
    const result = await eraseParticipant(handle.db, programId, participantId);
    const removed = Object.entries(result.rowsRemoved).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`).join(", ");
    process.stdout.write(`Erased (ledger ${result.subjectHash.slice(0, 16)}…): ${removed}.\n`);
  } catch (error) {
    if (error instanceof ErasureError) {
      process.stderr.write(`erase: ${error.message}\n`);
      return EXIT.invalidInput;
    }
    throw error;
  } finally {
    handle.close();
  }
  await rebuildDatabaseFile(path);
  process.stdout.write(`Rebuilt ${path}: the erased identifiers are gone from its bytes.\n`);
  return EXIT.ok;
});
