/**
 * The attention list (issue 14, item 3): every active pair a reader may see individually (admin:
 * all; hr: the pairs with a member of its organization, the other member's id and organization
 * null, as in the pairs Arrow), among the pairs the URL filters select, each in one category —
 * needs a check-in (the report's at-risk rule), too early to tell (matched less than 45 days
 * before as_of), on track — with the reasons (`sql/dashboards/attention_pairs.sql`). The
 * early-warning score (early-warning.server.ts, cached per data version) orders the pairs within
 * their category; it never changes which category a pair is in. The selection, sorting and paging
 * are attention.ts's, on these rows (cached by pages.server.ts per reader's view).
 */
import { individualsParams, type IndividualsScope } from "../auth/scope.server.ts";
import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { withProgramMarts } from "../metrics/schema.server.ts";
import { csvDocument, type CsvLocale } from "../domain/csv.ts";
import { compareDefault, countCategories, selectAttention, type AttentionCategory, type AttentionData, type AttentionPair, type AttentionQuery } from "./attention.ts";
import { getEarlyWarning } from "./early-warning.server.ts";
import { cachedByDataVersion } from "../metrics/cache.server.ts";
import { filterParams, NO_FILTERS, type Filters } from "../domain/filters.ts";
import { dashboardSql } from "./page-query.server.ts";

type AttentionRow = Omit<AttentionPair, "risk" | "risk_month">;

/** The pairs the attention list holds for `individuals`, unscored (null: no such program). */
async function listAttention(db: Db, programId: string, individuals: IndividualsScope, filters: Filters): Promise<{ as_of: string; ended_on: string | null; rows: AttentionRow[] } | null> {
  return withProgramMarts(db, programId, async () => {
    const [program] = await db.all<{ as_of: string; end_date: string }>(loadSql("queries/report_program"), { program_id: programId, as_of: null });
    if (!program) return null;
    const rows = await dashboardSql<AttentionRow>(db, "attention_pairs", {
      program_id: programId,
      as_of: program.as_of,
      ...individualsParams(individuals),
      ...filterParams(filters),
    });
    const [asOf, endDate] = [String(program.as_of).slice(0, 10), String(program.end_date).slice(0, 10)];
    // as_of is the earlier of today and the end date: at the end date, the program is over.
    const ended_on = asOf === endDate && endDate < new Date().toISOString().slice(0, 10) ? endDate : null;
    return { as_of: asOf, ended_on, rows };
  });
}

/** The attention list of a program for `individuals`, or null when the program does not exist. */
export async function getAttention(
  db: Db,
  programId: string,
  individuals: IndividualsScope,
  filters: Filters = NO_FILTERS,
  { modelWaitMs = Infinity }: { modelWaitMs?: number } = {},
): Promise<AttentionData | null> {
  const listed = await cachedAttentionRows(db, programId, individuals, filters);
  if (!listed) return null;
  // The model's fit goes on (cached, on a worker thread) when the list does not wait for it.
  const fitting = getEarlyWarning(db, programId);
  // A fit that has already kept one list waiting keeps no other: each request during a long
  // fit would otherwise wait its few seconds again (bench/pages: p95 3.7 s at 200,000). The
  // cache hands each request its own promise of the one fit, so the program is what is marked.
  let slow = slowFits.get(db);
  // (A caller that waits for the model, the CSV download, always waits.)
  const waited = await waitAtMost(fitting, modelWaitMs !== Infinity && slow?.has(programId) ? 0 : modelWaitMs);
  if (waited.pending) {
    if (!slow) slowFits.set(db, (slow = new Set()));
    const marked = slow.add(programId);
    const settled = () => marked.delete(programId);
    fitting.then(settled, settled);
    const pairs: AttentionPair[] = listed.rows.map((row) => ({ ...row, risk: null, risk_month: null }));
    pairs.sort(compareDefault("matched"));
    return { as_of: listed.as_of, ended_on: listed.ended_on, ordering: "matched", model_messages: [], model_pending: true, pairs };
  }
  const warning = waited.value;
  const scores = new Map((warning?.pairs ?? []).map((p) => [p.pair_id, p]));
  const modelled = (warning?.horizons ?? []).some((h) => h.status === "ok");
  const ordering: AttentionData["ordering"] = modelled ? "risk" : "matched";
  const pairs: AttentionPair[] = listed.rows.map((row) => {
    const score = scores.get(row.pair_id);
    return { ...row, risk: score?.risk ?? null, risk_month: score?.month ?? null };
  });
  pairs.sort(compareDefault(ordering));
  const model_messages = modelled ? [] : (warning?.horizons ?? []).flatMap((h) => (h.status === "insufficient_data" ? [h.message] : []));
  return { as_of: listed.as_of, ended_on: listed.ended_on, ordering, model_messages, model_pending: false, pairs };
}

/**
 * The unscored list, kept per data version: the overview's counts and the attention page share
 * it, and the pages asked while the model is fitted (not kept: pages.server.ts) do not read the
 * pairs again each time (1.3 s a request at 200,000 participants under load). Read-only.
 */
function cachedAttentionRows(db: Db, programId: string, individuals: IndividualsScope, filters: Filters) {
  return cachedByDataVersion(
    db,
    programId,
    ["attention-rows", individuals, { ...NO_FILTERS, ...filters }],
    () => listAttention(db, programId, individuals, filters),
    (listed) => (listed ? listed.rows.length * 600 : 0),
  );
}

/** Per database, the programs whose early-warning fit, still running, a list has already stopped waiting for. */
const slowFits = new WeakMap<Db, Set<string>>();

/** `promise`'s value if it settles within `ms`, else `pending` (it is not cancelled). */
async function waitAtMost<T>(promise: Promise<T>, ms: number): Promise<{ pending: false; value: T } | { pending: true }> {
  if (ms === Infinity) return { pending: false, value: await promise };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ pending: true }>((resolve) => (timer = setTimeout(() => resolve({ pending: true }), ms)));
  try {
    return await Promise.race([promise.then((value) => ({ pending: false as const, value })), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * How many of the list's pairs are in each category (the overview's tile). The score orders pairs
 * within a category and never moves one between categories, so the counts need no early-warning
 * model: the overview does not wait for one to be fitted (46.7 s at 200,000 participants on the
 * first view after a start, when the tile read the scored list).
 */
export async function getAttentionCounts(db: Db, programId: string, individuals: IndividualsScope, filters: Filters = NO_FILTERS): Promise<Record<AttentionCategory, number> | null> {
  const listed = await cachedAttentionRows(db, programId, individuals, filters);
  return listed && countCategories(listed.rows);
}

/** The CSV download's columns, in order (the early-warning score is in it: hr and admin only). */
export const ATTENTION_CSV_COLUMNS = [
  "category",
  "pair_id",
  "mentor_id",
  "mentor_org_id",
  "mentee_id",
  "mentee_org_id",
  "matched_at",
  "days_since_match",
  "last_meeting_date",
  "flagged_at_midpoint",
  "no_midpoint_evaluation",
  "no_recent_meeting",
  "risk",
  "risk_month",
] as const satisfies readonly (keyof AttentionPair)[];

/**
 * The list as CSV, in the reader's language's dialect (`analytics/domain/csv.ts`: English `,` and
 * `.`; French `;`, decimal comma, UTF-8 byte-order mark; text formula-guarded, RFC 4180 quoting):
 * the same pairs, in the same order, as the page's selection (category, reason, sort) over every
 * page. A member of another organization than an hr reader's has empty id and organization cells.
 */
export function attentionCsv(data: AttentionData, query: AttentionQuery, locale: CsvLocale = "en"): { csv: string; rows: number } {
  const { rows } = selectAttention(data, query, null);
  const csv = csvDocument(ATTENTION_CSV_COLUMNS, rows.map((pair) => ATTENTION_CSV_COLUMNS.map((c) => pair[c])), locale);
  return { csv, rows: rows.length };
}
