/** The plain data the matching code works on (read from the database by load.server.ts). */

export type { ProgramKind } from "../domain/program.ts";
import type { ProgramKind } from "../domain/program.ts";

export interface Participant {
  id: string;
  orgId: string;
  birthYear: number;
  jobLevel: number | null;
  city: string | null;
  languages: string[];
  /** Topic ids offered (mentor) or sought (mentee). */
  topics: string[];
}

export interface RecordedPair {
  pairId: string;
  mentorId: string;
  menteeId: string;
  status: "active" | "completed" | "ended_early";
  /** Number of mid-point answers (mentor and mentee). */
  midpointAnswers: number;
  /** The lowest mid-point satisfaction, or null without an answer. */
  minMidpointSatisfaction: number | null;
  /** YYYY-MM-DD; its month is the pair's intake cohort (out-of-time validation). */
  matchedAt?: string | null;
}

export interface ProgramData {
  programId: string;
  name: string;
  kind: ProgramKind;
  startDate: string;
  endDate: string;
  mentors: Participant[];
  mentees: Participant[];
  pairs: RecordedPair[];
  /** The previous edition (programs.previous_program_id), when recorded. */
  previousProgramId?: string | null;
}

/**
 * A matching as parallel arrays: pair k is (mentee[k], mentor[k]), indices into the program's
 * mentees and mentors. Recorded data may hold two pairs for one mentee; strategies never do.
 */
export interface Matching {
  mentee: Int32Array;
  mentor: Int32Array;
}

/** What every strategy returns: the pairs and the mentees left unmatched. */
export interface StrategyResult extends Matching {
  unmatched: Int32Array;
}

/**
 * A pair's label for the outcome model: labelled when it has at least one mid-point answer
 * or has ended early; success = not ended early and every mid-point answer ≥ 4.
 */
export function pairLabel(pair: RecordedPair): boolean | null {
  if (pair.status === "ended_early") return false;
  if (pair.midpointAnswers === 0 || pair.minMidpointSatisfaction === null) return null;
  return pair.minMidpointSatisfaction >= 4;
}
