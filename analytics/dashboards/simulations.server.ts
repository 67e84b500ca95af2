/**
 * The matching simulation page on the server: lists and reads stored runs (`simulation_runs`),
 * and shows a result to an audience — the outcome model's provenance limited to the programs
 * the reader may open, small fairness groups suppressed for non-admin audiences — and a job's
 * pairs for the roles allowed to see individuals. The jobs that compute results are
 * analytics/matching/jobs.server.ts.
 */
import { canViewProgram, mayIdentify, type IndividualsScope, type Scope } from "../auth/scope.server.ts";
import { ageGapYears, generationOf } from "../domain/generations.ts";
import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { jobMatching } from "../matching/jobs.server.ts";
import { getRun } from "../matching/runs.server.ts";
import type { ModelReport, SimulationResult } from "../matching/simulation.ts";
import type { Validation } from "../matching/validation.ts";
import type { QuotaReport } from "../matching/quota-run.ts";
import type { QuotaName } from "../matching/quotas.ts";
import { quotaReasonText, type QuotaReason } from "../matching/reasons.ts";
import { verdictOf, verdictRow, type Verdict } from "../matching/verdict.ts";
import { DEFAULT_K } from "../metrics/suppression.ts";
import { generationRowKey, getHiddenGenerationRows } from "../privacy/consistent.server.ts";
import { suppressRows } from "./page-suppression.ts";

export interface StoredRunRow {
  run_id: number;
  created_at: string;
  strategies: string[];
  seed: number;
  runs: number;
  code_version: string;
  elapsed_ms: number | null;
}

export async function listStoredRuns(db: Db, programId: string): Promise<StoredRunRow[]> {
  return db.all<StoredRunRow>(loadSql("matching/run_list"), { program_id: programId });
}

export interface ComparisonRow {
  strategy: string;
  runs: number;
  pairs: number | null;
  coverage: number | null;
  compatibility_mean: number | null;
  predicted_success: number | null;
  predicted_success_low: number | null;
  predicted_success_high: number | null;
  /** Expected successful pairs (the outcome model's predictions summed over the pairs). */
  expected_successes: number | null;
  /** Expected successful pairs more than the recorded pairs, with its paired 95 % interval. */
  gain_over_recorded: number | null;
  gain_low: number | null;
  gain_high: number | null;
  cross_generation_rate: number | null;
  cross_company_rate: number | null;
  median_age_gap_years: number | null;
  blocking_pairs: number | null;
  fairness_gap_organization: number | null;
  fairness_gap_generation: number | null;
}

export interface FairnessRow {
  strategy: string;
  dimension: "organization" | "generation";
  group: string;
  label: string;
  mentees: number | null;
  coverage: number | null;
  predicted_success: number | null;
  success_per_mentee: number | null;
  suppressed: boolean;
  suppressed_fields: string[];
}

type ModelCounts = "labelled" | "successes" | "failures";
type FittedModel = Extract<ModelReport, { status: "ok" }>;

/**
 * The outcome model as one reader sees it: `trained_on` names only the programs the reader may
 * open, `other_programs` counts the rest; when the model learned from any program the reader
 * may not open, the counts of its labelled pairs (and the held-out base rate and calibration
 * bins, which are counts and rates of them) are null, since they belong partly to those programs.
 */
export type ModelView =
  | (Omit<FittedModel, ModelCounts | "held_out"> & {
      other_programs: number;
      labelled: number | null;
      successes: number | null;
      failures: number | null;
      held_out: Omit<FittedModel["held_out"], "brier_base_rate"> & { brier_base_rate: number | null };
    })
  | (Omit<Extract<ModelReport, { status: "insufficient_data" }>, ModelCounts> & {
      other_programs: number;
      labelled: number | null;
      successes: number | null;
      failures: number | null;
    });

/**
 * The model's provenance for a reader: admin sees it all; anyone else sees the ids of the
 * training programs in `openPrograms` and a number for the others, and no counts of labelled
 * pairs unless every training program is theirs to open.
 */
export function modelView(model: ModelReport, audience: "admin" | "hr" | "rse" | "sponsor", openPrograms: ReadonlySet<string>): ModelView {
  if (audience === "admin") return { ...model, other_programs: 0 };
  const trained_on = model.trained_on.filter((id) => openPrograms.has(id));
  const other_programs = model.trained_on.length - trained_on.length;
  if (other_programs === 0) return { ...model, other_programs };
  const hidden = { trained_on, other_programs, labelled: null, successes: null, failures: null };
  if (model.status !== "ok") {
    return { ...model, ...hidden, message: "not enough labelled pairs in the programs it would learn from to predict success" };
  }
  return { ...model, ...hidden, held_out: { ...model.held_out, brier_base_rate: null, calibration: [] } };
}

/**
 * The out-of-time validation as one reader sees it: a non-admin sees it only when every
 * program it was trained on is theirs to open (else only that it exists), and the shared-pair
 * figures of a strategy only from k shared pairs on (fewer would describe a handful of pairs).
 */
export function validationView(validation: Validation | null, audience: "admin" | "hr" | "rse" | "sponsor", openPrograms: ReadonlySet<string>, k: number): Validation | null {
  if (validation === null || audience === "admin" || validation.out_of_time === null) return validation;
  const o = validation.out_of_time;
  if (!o.programs.every((id) => openPrograms.has(id))) {
    return { headline: "cross_validation", out_of_time: null, out_of_time_reason: "the out-of-time figure learned from programs you cannot open" };
  }
  return {
    ...validation,
    out_of_time: {
      ...o,
      strategies: o.strategies.map((s) => (s.shared >= k ? s : { ...s, mean_predicted: null, realised_rate: null })),
    },
  };
}

/**
 * The quota prices as one reader sees them: the figures are aggregates over the whole cohort;
 * an infeasibility reason that names a group and counts its mentees is said without them to a
 * non-admin (another organization is never named to a protected reader; a count may be small).
 */
export function quotasView(report: QuotaReport | null, audience: "admin" | "hr" | "rse" | "sponsor"): QuotaReport | null {
  if (report === null || audience === "admin") return report;
  const general = (reason: string) =>
    /^(organization|generation)_coverage: (organization|generation) /.test(reason)
      ? quotaReasonText({ code: "group_unreachable_general", quota: reason.split(":")[0] as QuotaName })
      : reason;
  const generalDetails = (details: QuotaReason[] | undefined): QuotaReason[] | undefined => {
    if (details === undefined) return undefined;
    const out = details.map((d): QuotaReason => (d.code === "group_unreachable" ? { code: "group_unreachable_general", quota: d.quota } : d));
    // One line per quota, whatever the number of groups it stands for.
    return out.filter((d, i) => d.code !== "group_unreachable_general" || out.findIndex((e) => e.code === d.code && e.quota === d.quota) === i);
  };
  return {
    ...report,
    strategies: report.strategies.map((s) => ({ ...s, prices: s.prices.map((p) => ({ ...p, reasons: [...new Set(p.reasons.map(general))], details: generalDetails(p.details) })) })),
  };
}

/** The programs among a result's own and its model's training programs that the scope may open. */
export async function openTrainingPrograms(db: Db, scope: Scope, result: SimulationResult): Promise<Set<string>> {
  const open = new Set<string>();
  for (const id of new Set([result.program.program_id, ...result.model.trained_on, ...(result.validation?.out_of_time?.programs ?? [])])) if (await canViewProgram(db, scope, id)) open.add(id);
  return open;
}

export interface ResultView {
  program: SimulationResult["program"];
  parameters: SimulationResult["parameters"];
  model: ModelView;
  /** Which validity figure is shown first (null: a run stored before issue 15). */
  validation: Validation | null;
  /** The price of each quota, when the run priced quotas (quotasView). */
  quotas: QuotaReport | null;
  comparison: ComparisonRow[];
  /** Who wins, on expected successful pairs against the recorded ones (analytics/matching/verdict.ts). */
  verdict: Verdict;
  fairness: FairnessRow[];
  /** Fairness groups of fewer than this many mentees are hidden (null: admin, nothing hidden). */
  fairness_k: number | null;
  skipped: SimulationResult["skipped"];
  warnings: string[];
  /** How the sparse mode ran (a program above the dense limit), or null: every pair was scored. */
  sparse: NonNullable<SimulationResult["sparse"]> | null;
  /**
   * For a non-admin reader, how many of the run's constraints named participants (forbidden
   * pairs, per-mentor capacities): the names themselves are left out of `parameters`, and the
   * warnings about them are counted, not quoted (docs/privacy.md, "Simulations").
   */
  named_constraints: { forbidden_pairs: number; mentor_capacities: number; warnings: number } | null;
}

/** A warning that quotes participant ids (from a constraint of the weights file). */
const NAMING_WARNING = /^(forbidden pair |capacity for )/;

/** The run's parameters and warnings without participant ids, for a non-admin reader. */
function withoutNamedConstraints(result: SimulationResult): Pick<ResultView, "parameters" | "warnings" | "named_constraints"> {
  const { constraints } = result.parameters.weights;
  const naming = result.warnings.filter((w) => NAMING_WARNING.test(w)).length;
  return {
    parameters: {
      ...result.parameters,
      weights: { ...result.parameters.weights, constraints: { ...constraints, forbidden_pairs: [], mentor_capacities: {} } },
    },
    warnings: [
      ...result.warnings.filter((w) => !NAMING_WARNING.test(w)),
      ...(naming > 0 ? [`${naming} constraint(s) naming participants who are not in the program were ignored`] : []),
    ],
    named_constraints: {
      forbidden_pairs: constraints.forbidden_pairs.length,
      mentor_capacities: Object.keys(constraints.mentor_capacities).length,
      warnings: naming,
    },
  };
}

/**
 * The comparison table and fairness groups of a result for an audience: program-wide figures
 * for everyone; fairness groups of fewer than k mentees hidden for non-admin audiences, and a
 * protected reader (hr, rse, sponsor) sees only its own organization's row, and no participant id
 * of the run's constraints (`named_constraints`). The model's provenance names only
 * `openPrograms` (openTrainingPrograms; by default the result's own program) for non-admins.
 */
export function resultView(
  result: SimulationResult,
  audience: "admin" | "hr" | "rse" | "sponsor",
  orgId: string | null,
  k: number = DEFAULT_K,
  openPrograms: ReadonlySet<string> = new Set([result.program.program_id]),
  hiddenGenerations: ReadonlySet<string> = new Set(),
): ResultView {
  const comparison = result.strategies.map((s): ComparisonRow => ({
    ...verdictRow(s),
    runs: s.runs,
    coverage: s.coverage.mean,
    compatibility_mean: s.compatibility_mean.mean,
    predicted_success: s.predicted_success?.mean ?? null,
    predicted_success_low: s.predicted_success?.low ?? null,
    predicted_success_high: s.predicted_success?.high ?? null,
    median_age_gap_years: s.median_age_gap_years.mean,
    blocking_pairs: s.blocking_pairs.mean,
  }));
  const threshold = audience === "admin" ? null : k;
  const fairness: FairnessRow[] = [];
  for (const s of result.strategies) {
    for (const dimension of ["organization", "generation"] as const) {
      let groups = (dimension === "organization" ? s.fairness.by_organization : s.fairness.by_generation).map((g) => ({
        strategy: s.strategy,
        dimension,
        group: g.group,
        label: g.label,
        mentees: g.mentees,
        coverage: g.coverage,
        predicted_success: g.predicted_success,
        success_per_mentee: g.success_per_mentee,
      }));
      // Other organizations are never shown by name to a protected reader (docs/privacy.md).
      if (dimension === "organization" && audience !== "admin") groups = groups.filter((g) => g.group === orgId);
      const rows = suppressRows(groups, threshold, (g) => g.group, { people: (g) => g.mentees ?? 0, keep: ["strategy", "dimension", "group", "label"] });
      if (threshold === null) {
        fairness.push(...rows);
        continue;
      }
      // A protected reader sees no headcount here (the cohort's mentees by generation would be
      // one more view of the people cells, with its own complementary choice: docs/privacy.md,
      // "Simulations"), and a generation hidden in that reader's other views is hidden here too.
      fairness.push(
        ...rows.map((r) =>
          dimension === "generation" && !r.suppressed && hiddenGenerations.has(r.group)
            ? { ...r, mentees: null, coverage: null, predicted_success: null, success_per_mentee: null, suppressed: true, suppressed_fields: ["mentees", "coverage", "predicted_success", "success_per_mentee"] }
            : { ...r, mentees: null, suppressed_fields: r.suppressed_fields.includes("mentees") ? r.suppressed_fields : [...r.suppressed_fields, "mentees"] },
        ),
      );
    }
  }
  return {
    program: result.program,
    model: modelView(result.model, audience, openPrograms),
    validation: validationView(result.validation ?? null, audience, openPrograms, k),
    quotas: quotasView(result.quotas ?? null, audience),
    comparison,
    verdict: verdictOf(comparison, result.model.status === "ok"),
    fairness,
    fairness_k: threshold,
    skipped: result.skipped,
    sparse: result.sparse ?? null,
    ...(audience === "admin"
      ? { parameters: result.parameters, warnings: result.warnings, named_constraints: null }
      : withoutNamedConstraints(result)),
  };
}

/**
 * `resultView` for a reader of the page: the generations hidden in that reader's other views
 * (analytics/privacy/consistent.server.ts) are hidden in the fairness groups too.
 */
export async function readerResultView(
  db: Db,
  result: SimulationResult,
  reader: { audience: "admin" | "hr" | "rse" | "sponsor"; orgId: string | null; k: number | null },
  openPrograms?: ReadonlySet<string>,
): Promise<ResultView> {
  const k = reader.k ?? DEFAULT_K;
  let hidden = new Set<string>();
  if (reader.audience !== "admin") {
    const rows = await getHiddenGenerationRows(db, result.program.program_id, reader.orgId, k);
    const groups = new Set(result.strategies.flatMap((s) => s.fairness.by_generation.map((g) => g.group)));
    hidden = new Set([...groups].filter((g) => rows?.has(generationRowKey("generation", g))));
  }
  return resultView(result, reader.audience, reader.orgId, k, openPrograms, hidden);
}

/** A stored run's result, or null (unknown, or of another program). */
export async function storedRunResult(db: Db, programId: string, runId: number): Promise<{ result: SimulationResult; created_at: string; code_version: string } | null> {
  const run = await getRun(db, runId);
  if (!run || run.program_id !== programId) return null;
  return { result: run.results, created_at: run.created_at, code_version: run.code_version };
}

export interface SimulatedPair {
  /** null when the mentee belongs to another organization than the reader's (HR). */
  mentee_id: string | null;
  mentee_org_id: string;
  mentee_generation: string;
  /** null when the mentor belongs to another organization than the reader's (HR). */
  mentor_id: string | null;
  mentor_org_id: string;
  mentor_generation: string;
  age_gap_years: number;
  compatibility: number | null;
}

/**
 * A finished job's pairs for one strategy, only those the reader may see: every pair for
 * `individualsOrg` of kind "all", the pairs with a member of that organization otherwise (hr).
 * Null when the job or strategy is unknown. Does not check the job's owner: callers ask
 * getJobStatus first (and record the audit entry).
 */
export function jobPairs(programId: string, jobId: string, strategy: string, individualsOrg: IndividualsScope): SimulatedPair[] | null {
  const pairs = jobMatching(programId, jobId, strategy);
  if (!pairs) return null;
  const rows: SimulatedPair[] = [];
  for (const { mentee, mentor, compatibility } of pairs) {
    // HR sees the individuals of its own organization only: the other member stays anonymous.
    const visible = (orgId: string) => mayIdentify(individualsOrg, orgId);
    if (!visible(mentee.orgId) && !visible(mentor.orgId)) continue;
    rows.push({
      mentee_id: visible(mentee.orgId) ? mentee.id : null,
      mentee_org_id: mentee.orgId,
      mentee_generation: generationOf(mentee.birthYear),
      mentor_id: visible(mentor.orgId) ? mentor.id : null,
      mentor_org_id: mentor.orgId,
      mentor_generation: generationOf(mentor.birthYear),
      age_gap_years: ageGapYears(mentor.birthYear, mentee.birthYear),
      compatibility,
    });
  }
  const sortKey = (p: SimulatedPair) => `${p.mentee_id ?? "~"}\u0000${p.mentor_id ?? "~"}`;
  rows.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  return rows;
}
