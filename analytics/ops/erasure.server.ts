/**
 * The GDPR rights of one participant of a program: erasure (everything that mentions them,
 * recorded in a ledger by a keyed hash only) and access (everything held about them, as JSON).
 */
import { createHmac, randomBytes } from "node:crypto";
import type { Db } from "../db/database.server.ts";
import { inTransaction } from "../db/transaction.server.ts";
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
  const rows = await db.all<{ secret_hex: string }>("select secret_hex from ops_secret order by created_at limit 1");
  if (rows.length) return rows[0].secret_hex;
  const secret = randomBytes(32).toString("hex");
  await db.run("insert into ops_secret (secret_hex, created_at) values ($secret, current_timestamp::timestamp)", { secret });
  return secret;
}

/** HMAC-SHA-256 of the program and participant ids: the only trace an erasure leaves. */
export function subjectHash(secret: string, programId: string, participantId: string): string {
  return createHmac("sha256", secret).update(`${programId}\u0000${participantId}`).digest("hex");
}

// Pairs of the participant, live and in undo snapshots; then everything hanging off them.
// Fixed statements: parameters $program_id and $participant_id only.
const PAIR_IDS = "select pair_id from pairs where program_id = $program_id and (mentor_id = $participant_id or mentee_id = $participant_id)";
const SNAP_PAIRS =
  "select snapshot_id, pair_id from ops_snapshot_pairs where program_id = $program_id and (mentor_id = $participant_id or mentee_id = $participant_id)";
const ERASE_STEPS: { table: string; where: string }[] = [
  ...["meetings", "pair_topics", "evaluations"].map((table) => ({ table, where: `program_id = $program_id and pair_id in (${PAIR_IDS})` })),
  { table: "pairs", where: "program_id = $program_id and (mentor_id = $participant_id or mentee_id = $participant_id)" },
  { table: "participants", where: "program_id = $program_id and participant_id = $participant_id" },
  ...["ops_snapshot_meetings", "ops_snapshot_pair_topics", "ops_snapshot_evaluations"].map((table) => ({
    table,
    where: `program_id = $program_id and (snapshot_id, pair_id) in (${SNAP_PAIRS})`,
  })),
  { table: "ops_snapshot_pairs", where: "program_id = $program_id and (mentor_id = $participant_id or mentee_id = $participant_id)" },
  { table: "ops_snapshot_participants", where: "program_id = $program_id and participant_id = $participant_id" },
  // A stored simulation run of the program that names them (its pairs, its inputs) goes whole.
  {
    table: "simulation_runs",
    where: "program_id = $program_id and (contains(results, '\"' || $participant_id || '\"') or contains(parameters, '\"' || $participant_id || '\"'))",
  },
];

async function count(db: Db, table: string, where: string, params: Record<string, string>): Promise<number> {
  const [{ n }] = await db.all<{ n: number }>(`select count(*) as n from ${table} where ${where}`, params);
  return n;
}

/** Where a participant appears, per table (live data, snapshots, simulation runs). */
export async function findParticipant(db: Db, programId: string, participantId: string): Promise<Record<string, number>> {
  const params = { program_id: programId, participant_id: participantId };
  const out: Record<string, number> = {};
  for (const step of ERASE_STEPS) out[step.table] = await count(db, step.table, step.where, params);
  return out;
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
    for (const step of ERASE_STEPS) await db.run(`delete from ${step.table} where ${step.where}`, params);
    // Audit entries that quote the identifier (e.g. a filter) keep their who/when, not the id.
    await db.run("update audit_log set details = '{\"redacted\":\"erasure\"}' where contains(details::varchar, $participant_id) and program_id = $program_id", params);
    if (options.record !== false) {
      const total = Object.values(found).reduce((a, b) => a + b, 0);
      await db.run("insert into erasure_ledger (subject_hash, erased_at, rows_removed) values ($hash, current_timestamp::timestamp, $rows)", { hash, rows: total });
    }
    await db.run("delete from ops_state where state_key = 'rebuild_needed_since'");
    await db.run("insert into ops_state values ('rebuild_needed_since', current_timestamp::varchar)");
  });
  invalidateMetricMarts(db, programId);
  return { subjectHash: hash, rowsRemoved: found };
}

/**
 * Re-applies the ledger (after a restore from an older backup): every participant, live or in a
 * snapshot, whose keyed hash is in the ledger is erased again. Returns how many were.
 */
export async function applyErasureLedger(db: Db): Promise<number> {
  const ledger = new Set((await db.all<{ subject_hash: string }>("select subject_hash from erasure_ledger")).map((r) => r.subject_hash));
  if (ledger.size === 0) return 0;
  const secret = await ledgerSecret(db);
  const people = await db.all<{ program_id: string; participant_id: string }>(
    `select distinct program_id, participant_id from participants
     union select distinct program_id, participant_id from ops_snapshot_participants`,
  );
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
  const rows = await db.all<{ state_value: string }>("select state_value from ops_state where state_key = 'rebuild_needed_since'");
  return rows[0]?.state_value ?? null;
}

/** When the file was last rebuilt (`copyDatabaseInto`: the CLI's compact or the server's own rebuild), or null. */
export async function lastRebuildAt(db: Db): Promise<string | null> {
  const rows = await db.all<{ state_value: string }>("select state_value from ops_state where state_key = 'rebuilt_at'");
  return rows[0]?.state_value ?? null;
}

/** Everything held about one participant (right of access), as plain JSON. */
export async function exportParticipant(db: Db, programId: string, participantId: string): Promise<Record<string, unknown>> {
  const params = { program_id: programId, participant_id: participantId };
  const participant = await db.all("select * from participants where program_id = $program_id and participant_id = $participant_id", params);
  if (participant.length === 0) throw new ErasureError(`No participant ${participantId} in program ${programId}.`);
  const inPairs = `program_id = $program_id and pair_id in (${PAIR_IDS})`;
  return {
    exported_at: new Date().toISOString(),
    program: (await db.all("select * from programs where program_id = $program_id", { program_id: programId }))[0] ?? null,
    participant: participant[0],
    organization: (await db.all("select o.* from organizations o join participants p on p.org_id = o.org_id where p.program_id = $program_id and p.participant_id = $participant_id", params))[0] ?? null,
    pairs: await db.all(`select * from pairs where program_id = $program_id and (mentor_id = $participant_id or mentee_id = $participant_id) order by pair_id`, params),
    meetings: await db.all(`select * from meetings where ${inPairs} order by pair_id, date, meeting_id`, params),
    pair_topics: await db.all(`select * from pair_topics where ${inPairs} order by pair_id, topic_id`, params),
    evaluations: await db.all(`select * from evaluations where ${inPairs} order by pair_id, phase, respondent`, params),
    undo_snapshots: await db.all("select snapshot_id, count(*) as rows from ops_snapshot_participants where program_id = $program_id and participant_id = $participant_id group by all order by 1", params),
    simulation_runs_mentioning: (await db.all<{ run_id: number }>(
      "select run_id from simulation_runs where program_id = $program_id and (contains(results, '\"' || $participant_id || '\"') or contains(parameters, '\"' || $participant_id || '\"')) order by run_id",
      params,
    )).map((r) => r.run_id),
  };
}
