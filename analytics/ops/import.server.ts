/**
 * One import of an export, the same for `npm run ingest` (cli/ingest.ts) and the web import
 * job (import-jobs.server.ts): the ingestion (all or nothing, in one transaction), then the
 * erasure ledger (an export made before an erasure may list the erased participant again),
 * then the marts of the imported programs.
 */
import type { Db } from "../db/database.server.ts";
import { ingestExport, type IngestOptions, type IngestResult } from "../ingest/index.server.ts";
import { ingestMapped, mappingUsesPseudonyms, needsMapping } from "../ingest/mapping/ingest.server.ts";
import type { Mapping } from "../ingest/mapping/schema.ts";
import { warmProgram } from "../metrics/warm.server.ts";
import { applyErasureLedger, ledgerSecret } from "./erasure.server.ts";
import { uploadLimits } from "./upload.server.ts";

export interface ImportOptions extends IngestOptions {
  /** Runs right after a successful ingestion, before the ledger (the web job tags its undo snapshots). */
  onImported?: (result: IngestResult) => Promise<void>;
  /**
   * The connection whose marts to prepare after an import, in the background (the server's
   * pages' connection). The marts are connection-local (TEMP): a CLI, which closes its
   * connection right after, passes none.
   */
  warmMartsOn?: Db;
  /**
   * The user's own layout (issue #17): the mapping (a preset or a mapping file) and its name as
   * problems show it. The mapped records take the same validation and the same transaction;
   * problems name the user's files, lines (or sheets and rows) and headers. Without a mapping,
   * an Excel workbook is read as the export itself, one sheet per table.
   */
  mapping?: { mapping: Mapping; name: string } | null;
  /** CSV files through a mapping may be mapped in DuckDB (the default); false: through applyMapping (bench/ingest-mapped compares them). */
  inDuckDb?: boolean;
}

export interface ImportOutcome {
  result: IngestResult;
  /** How many participants of the erasure ledger the export listed, erased again. */
  erasedAgain: number;
}

export async function importExport(db: Db, paths: string[], options: ImportOptions = {}): Promise<ImportOutcome> {
  const { onImported, warmMartsOn, mapping, inDuckDb, ...ingestOptions } = options;
  let result: IngestResult;
  if (mapping || needsMapping(paths)) {
    // The pseudonyms' key is the installation's secret, the erasure ledger's.
    const secret = mapping && mappingUsesPseudonyms(mapping.mapping) ? await ledgerSecret(db) : null;
    const { mapped: _mapped, ...rest } = await ingestMapped(db, paths, { ...ingestOptions, mapping: mapping ?? null, secret, limits: uploadLimits(), inDuckDb });
    result = rest;
  } else {
    result = await ingestExport(db, paths, ingestOptions);
  }
  if (result.outcome !== "imported") return { result, erasedAgain: 0 };
  await onImported?.(result);
  const erasedAgain = await applyErasureLedger(db);
  // Last: on a shared connection, the refresh must not run between the statements above.
  if (warmMartsOn) for (const p of result.programs) void warmProgram(warmMartsOn, p.program_id).catch(() => undefined);
  return { result, erasedAgain };
}
