import type { QuotaName } from "./simulation-options.ts";

/**
 * Fixed reasons a simulation gives, in English for the CLI and the stored result; the web page
 * says them in the reader's language (app/i18n/pages/simulations.ts). Apart so that the page's
 * bundle does not take the model's code with them.
 *
 * Why there is no out-of-time figure (validation.ts):
 */
export const OUT_OF_TIME_REASONS = {
  noLabelled: "the program has no labelled pair to test on",
  oneMonth: "one edition and one intake month only: no later cohort to test on",
} as const;

/** Why a strategy was skipped, when the reason is fixed (simulation.ts). */
export const SKIP_REASONS = {
  newCohort: "the program has no recorded pairs (a new cohort)",
} as const;

/**
 * Why quotas cannot be met or priced, as data: the page says it in the reader's language
 * (app/components/simulations/SimulationResult.tsx), the CLI and `reasons` in English
 * (quotaReasonText).
 */
export type QuotaReason =
  /** One group's mentees cannot be matched as the coverage quota needs. */
  | { code: "group_unreachable"; quota: QuotaName; dimension: "organization" | "generation"; group: string; mentees: number; reachable: number; need: number }
  /** The same, said without the group and its counts (a protected reader: simulations.server.ts). */
  | { code: "group_unreachable_general"; quota: QuotaName }
  /** The groups together need more matched mentees than can be matched at all. */
  | { code: "total_exceeds"; quota: QuotaName; need: number; most: number }
  /** Each group can be served alone; together the quotas compete for the same mentors. */
  | { code: "compete"; quotas: QuotaName[] }
  /** Too many possible pairs for the exact integer program. */
  | { code: "too_large"; cells: number; max: number };

/** A reason in English (the CLI, the stored result's `reasons`). */
export function quotaReasonText(r: QuotaReason): string {
  switch (r.code) {
    case "group_unreachable":
      return `${r.quota}: ${r.dimension} ${r.group} has ${r.mentees} mentees; at most ${r.reachable} can be matched (allowed mentors and capacities), the quota needs ${r.need}`;
    case "group_unreachable_general":
      return `${r.quota}: the mentees of a group cannot all be reached as the quota needs (allowed mentors and capacities)`;
    case "total_exceeds":
      return `${r.quota}: the groups need ${r.need} matched mentees in all; at most ${r.most} mentees can be matched (mentors' capacities and allowed pairs)`;
    case "compete":
      return r.quotas.length === 1
        ? `${r.quotas[0]}: each group can be served alone, but the groups compete for the same mentors`
        : `the quotas ${r.quotas.join(", ")} cannot hold together (each group can be served alone; they compete for the same mentors)`;
    case "too_large":
      return `${r.cells} allowed pairs: above ${r.max}, the exact integer program is not attempted`;
  }
}
