/**
 * A strategy's pairs as a `pairs` file in the open export format (docs/export-format.md), for
 * the platform to take up: plain dialect (comma, UTF-8, ISO dates), every pair `active`,
 * matched on the given day, `match_score` = the compatibility (0–1).
 */
import type { EncodedProgram } from "./compatibility.ts";
import type { Matching } from "./types.ts";

export const PAIRS_HEADER = ["pair_id", "program_id", "mentor_id", "mentee_id", "matched_at", "ended_at", "status", "end_reason", "match_score", "reverse_since"];

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function proposalCsv(
  programId: string,
  enc: EncodedProgram,
  /** The compatibility of a pair (SimulationOutput.scoreOf). */
  scoreOf: (mentee: number, mentor: number) => number,
  matching: Matching,
  options: { matchedAt: string; pairIdPrefix?: string },
): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.matchedAt)) throw new RangeError(`invalid matched-at date: ${JSON.stringify(options.matchedAt)}`);
  const prefix = options.pairIdPrefix ?? "SIM-";
  const order = Array.from(matching.mentee.keys()).sort(
    (a, b) => enc.mentees.ids[matching.mentee[a]].localeCompare(enc.mentees.ids[matching.mentee[b]]) || a - b,
  );
  const width = String(order.length).length;
  const lines = [PAIRS_HEADER.join(",")];
  order.forEach((k, n) => {
    const i = matching.mentee[k];
    const j = matching.mentor[k];
    const s = scoreOf(i, j);
    const score = Number.isFinite(s) ? Math.min(1, Math.max(0, s)).toFixed(4) : "";
    lines.push(
      [`${prefix}${String(n + 1).padStart(width, "0")}`, programId, enc.mentors.ids[j], enc.mentees.ids[i], options.matchedAt, "", "active", "", score, ""]
        .map(csvField)
        .join(","),
    );
  });
  return lines.join("\n") + "\n";
}
