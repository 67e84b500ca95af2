/** Reads a program's participants, recorded pairs and their outcome facts for the simulations. */
import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import type { ProgramIdentity } from "../domain/program.ts";
import { pairLabel, type Participant, type ProgramData, type RecordedPair } from "./types.ts";

interface ParticipantRow {
  participant_id: string;
  role: "mentor" | "mentee";
  org_id: string;
  birth_year: number;
  job_level: number | null;
  city: string | null;
  languages: string[];
  topics: string[];
}

interface PairRow {
  pair_id: string;
  mentor_id: string;
  mentee_id: string;
  status: RecordedPair["status"];
  count_midpoint_answers: number;
  min_midpoint_satisfaction: number | null;
  matched_at: string | null;
}

/** The program's data, or null when there is no such program. */
export async function loadProgram(db: Db, programId: string): Promise<ProgramData | null> {
  const [program] = await db.all<ProgramIdentity>(loadSql("queries/report_program"), { program_id: programId, as_of: null });
  if (!program) return null;
  const people = await db.all<ParticipantRow>(loadSql("matching/participants"), { program_id: programId });
  const pairs = await db.all<PairRow>(loadSql("matching/pairs"), { program_id: programId });
  const [previous] = await db.all<{ previous_program_id: string | null }>(loadSql("matching/previous_program"), { program_id: programId });
  const toParticipant = (row: ParticipantRow): Participant => ({
    id: row.participant_id,
    orgId: row.org_id,
    birthYear: row.birth_year,
    jobLevel: row.job_level,
    city: row.city,
    languages: row.languages,
    topics: row.topics,
  });
  return {
    programId: program.program_id,
    name: program.name,
    kind: program.kind,
    startDate: program.start_date,
    endDate: program.end_date,
    mentors: people.filter((p) => p.role === "mentor").map(toParticipant),
    mentees: people.filter((p) => p.role === "mentee").map(toParticipant),
    pairs: pairs.map((row) => ({
      pairId: row.pair_id,
      mentorId: row.mentor_id,
      menteeId: row.mentee_id,
      status: row.status,
      midpointAnswers: row.count_midpoint_answers,
      minMidpointSatisfaction: row.min_midpoint_satisfaction,
      matchedAt: row.matched_at,
    })),
    previousProgramId: previous?.previous_program_id ?? null,
  };
}

/**
 * The earlier editions of a program, latest first, following previous_program_id (a chain of
 * at most 20; a cycle or an unknown id ends it).
 */
export async function earlierEditions(db: Db, program: ProgramData): Promise<ProgramData[]> {
  const out: ProgramData[] = [];
  const seen = new Set([program.programId]);
  let next = program.previousProgramId ?? null;
  while (next !== null && !seen.has(next) && out.length < 20) {
    seen.add(next);
    const data = await loadProgram(db, next);
    if (!data) break;
    out.push(data);
    next = data.previousProgramId ?? null;
  }
  return out;
}

/** The programs with at least one labelled pair. */
export async function programsWithLabels(db: Db): Promise<string[]> {
  const rows = await db.all<{ program_id: string }>(loadSql("matching/programs_with_labels"));
  return rows.map((r) => r.program_id);
}

/**
 * The programs whose labelled pairs train the outcome model of a simulation of `program`: the
 * program itself when it has labelled pairs, else (a new cohort) every other program that has
 * some.
 */
export async function defaultTrainingPrograms(db: Db, program: ProgramData): Promise<ProgramData[]> {
  if (program.pairs.some((p) => pairLabel(p) !== null)) return [program];
  const training: ProgramData[] = [];
  for (const id of (await programsWithLabels(db)).filter((id) => id !== program.programId)) {
    const other = await loadProgram(db, id);
    if (other) training.push(other);
  }
  return training;
}
