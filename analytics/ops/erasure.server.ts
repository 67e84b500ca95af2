/**
 * The GDPR rights of one participant of a program: erasure (everything that mentions them,
 * recorded in a ledger by a keyed hash only) and access (everything held about them, as JSON).
 */
import { createHmac, randomBytes } from "node:crypto";
import type { Db } from "../db/database.server.ts";
import { inTransaction } from "../db/transaction.server.ts";
import { listSql, loadSql } from "../db/sql-files.server.ts";
import { invalidateMetricMarts } from "../metrics/schema.server.ts";

export class ErasureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ErasureError";
  }
}

/** The ledger's key: `BINOME_SECRET` when set, else a random key kept in the database (made once). */
export async function ledgerSecret(db: Db): Promise<string> {
  if (process.env.BINOME_SECRET) return process.env.BINOME_SECRET;
  const rows = await db.all<{ secret_hex: string }>(loadSql("ops/ledger_secret"));
  if (rows.length) return rows[0].secret_hex;
  const secret = randomBytes(32).toString("hex");
  await db.run(loadSql("ops/ledger_secret_insert"), { secret });
  return secret;
}

/** HMAC-SHA-256 of the program and participant ids: the only trace an erasure leaves. */
export function subjectHash(secret: string, programId: string, participantId: string): string {
  return createHmac("sha256", secret).update(`${programId}\u0000${participantId}`).digest("hex");
}

/** The erasure steps, in order (the pairs go after what hangs off them): `sql/ops/erase/*.sql`. */
const ERASE_STEPS = listSql("ops/erase");

/** Where a participant appears, per table (live data, snapshots, simulation runs). */
export async function findParticipant(db: Db, programId: string, participantId: string): Promise<Record<string, number>> {
  const [found] = await db.all<Record<string, number>>(loadSql("ops/erasure_found"), { program_id: programId, participant_id: participantId });
  return found;
}

export interface ErasureResult {
  subjectHash: string;
  rowsRemoved: Record<string, number>;
}

/**
 * Erases one participant of a program everywhere, in one transaction, and records the keyed
 * hash in the ledger. The deleted bytes stay in the database file until it is rebuilt
 * (`rebuildDatabaseFile` in the CLIs, `requestCompaction` in the server); until then
 * `ops_state` says a rebuild is needed.
 */
export async function eraseParticipant(db: Db, programId: string, participantId: string, options: { record?: boolean } = {}): Promise<ErasureResult> {
  const secret = await ledgerSecret(db);
  const hash = subjectHash(secret, programId, participantId);
  const params = { program_id: programId, participant_id: participantId };
  const found = await findParticipant(db, programId, participantId);
  if (Object.values(found).every((n) => n === 0)) throw new ErasureError(`No participant ${participantId} in program ${programId} (nothing stored mentions them).`);
  await inTransaction(db, async () => {
    for (const step of ERASE_STEPS) await db.run(loadSql(step), params);
    // Audit entries that quote the identifier (e.g. a filter) keep their who/when, not the id.
    await db.run(loadSql("ops/erasure_redact_audit"), params);
    if (options.record !== false) {
      const total = Object.values(found).reduce((a, b) => a + b, 0);
      await db.run(loadSql("ops/erasure_ledger_insert"), { hash, rows: total });
    }
    await db.run(loadSql("ops/rebuild_needed_clear"));
    await db.run(loadSql("ops/rebuild_needed_set"));
  });
  invalidateMetricMarts(db, programId);
  return { subjectHash: hash, rowsRemoved: found };
}

/**
 * Re-applies the ledger (after a restore from an older backup): every participant, live or in a
 * snapshot, whose keyed hash is in the ledger is erased again. Returns how many were.
 */
export async function applyErasureLedger(db: Db): Promise<number> {
  const ledger = new Set((await db.all<{ subject_hash: string }>(loadSql("ops/erasure_ledger_hashes"))).map((r) => r.subject_hash));
  if (ledger.size === 0) return 0;
  const secret = await ledgerSecret(db);
  const people = await db.all<{ program_id: string; participant_id: string }>(loadSql("ops/people_everywhere"));
  let erased = 0;
  for (const p of people) {
    if (!ledger.has(subjectHash(secret, p.program_id, p.participant_id))) continue;
    await eraseParticipant(db, p.program_id, p.participant_id, { record: false });
    erased++;
  }
  return erased;
}

/** Whether erased rows may still be in the file's bytes (a rebuild has not run since). */
export async function rebuildNeededSince(db: Db): Promise<string | null> {
  const rows = await db.all<{ state_value: string }>(loadSql("ops/ops_state_value"), { state_key: "rebuild_needed_since" });
  return rows[0]?.state_value ?? null;
}

/** When the file was last rebuilt (`copyDatabaseInto`: the CLI's compact or the server's own rebuild), or null. */
export async function lastRebuildAt(db: Db): Promise<string | null> {
  const rows = await db.all<{ state_value: string }>(loadSql("ops/ops_state_value"), { state_key: "rebuilt_at" });
  return rows[0]?.state_value ?? null;
}

/** Everything held about one participant (right of access), as plain JSON. */
export async function exportParticipant(db: Db, programId: string, participantId: string): Promise<Record<string, unknown>> {
  const params = { program_id: programId, participant_id: participantId };
  const participant = await db.all(loadSql("ops/access/participant"), params);
  if (participant.length === 0) throw new ErasureError(`No participant ${participantId} in program ${programId}.`);
  return {
    exported_at: new Date().toISOString(),
    program: (await db.all(loadSql("ops/access/program"), { program_id: programId }))[0] ?? null,
    participant: participant[0],
    organization: (await db.all(loadSql("ops/access/organization"), params))[0] ?? null,
    pairs: await db.all(loadSql("ops/access/pairs"), params),
    meetings: await db.all(loadSql("ops/access/meetings"), params),
    pair_topics: await db.all(loadSql("ops/access/pair_topics"), params),
    evaluations: await db.all(loadSql("ops/access/evaluations"), params),
    workforce: (await db.all(loadSql("ops/access/workforce"), params))[0] ?? null,
    undo_snapshots: await db.all(loadSql("ops/access/undo_snapshots"), params),
    simulation_runs_mentioning: (await db.all<{ run_id: number }>(loadSql("ops/access/simulation_runs"), params)).map((r) => r.run_id),
  };
}

/** What the erasure page shows: the programs, the ledger's size and the file's rebuild state. */
export async function erasureOverview(db: Db): Promise<{ programs: string[]; ledgerCount: number; pendingSince: string | null; rebuiltAt: string | null }> {
  const [{ n }] = await db.all<{ n: number }>(loadSql("ops/erasure_ledger_count"));
  return {
    programs: (await db.all<{ program_id: string }>(loadSql("ops/program_ids"))).map((r) => r.program_id),
    ledgerCount: n,
    pendingSince: await rebuildNeededSince(db),
    rebuiltAt: await lastRebuildAt(db),
  };
}
