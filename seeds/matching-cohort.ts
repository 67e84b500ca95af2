/**
 * An in-memory cohort from the demo generator, for the matching tests and benchmarks
 * (issue 15): the same people and platform matching as an export folder of `spec`, the
 * pairs' labels drawn from the generating model (`effects`, default TRUE_EFFECTS), and the
 * TRUE success probability P(q > 0) of any (mentor, mentee) pair — what no export reveals.
 * No file, no database: twenty cohorts take a fraction of a second.
 *
 * Labels follow the export's rules (docs/matching.md, "Outcome model"): a pair that ends early
 * (probability earlyEndProbability(q)) is a failure; otherwise each side answers the mid-point
 * survey (90 % mentees, 85 % mentors) with a satisfaction likert(q, 0.35); success = every
 * answer ≥ 4; a pair without an answer is unlabelled.
 */
import { makePeople, matchPairs, type Person } from "./generate-program.ts";
import { earlyEndProbability, likert, pairFeatures, qualityLogit, TRUE_EFFECTS, type TrueEffects } from "./model.ts";
import type { ProgramSpec } from "./programs.ts";
import { createRng, deriveSeed, sigmoid } from "./rng.ts";

export interface CohortParticipant {
  id: string;
  orgId: string;
  birthYear: number;
  jobLevel: number | null;
  city: string | null;
  languages: string[];
  topics: string[];
}

export interface CohortPair {
  pairId: string;
  mentorId: string;
  menteeId: string;
  status: "active" | "completed" | "ended_early";
  midpointAnswers: number;
  minMidpointSatisfaction: number | null;
  matchedAt: string;
}

/** Shaped like analytics/matching's ProgramData (seeds/ does not import analytics/). */
export interface MatchingCohort {
  programId: string;
  name: string;
  kind: "intra" | "inter";
  startDate: string;
  endDate: string;
  mentors: CohortParticipant[];
  mentees: CohortParticipant[];
  pairs: CohortPair[];
  /** P(q > 0) of mentor `mentor` with mentee `mentee` (indices into the arrays above). */
  trueProbability(mentor: number, mentee: number): number;
}

const isoDay = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

export function matchingCohort(spec: ProgramSpec, seed: number, effects: TrueEffects = spec.trueEffects ?? TRUE_EFFECTS): MatchingCohort {
  const stream = (label: string) => createRng(deriveSeed(seed, `${spec.programId}/${label}`));
  const people = makePeople(spec, stream("people"));
  const pairs = matchPairs(spec, people, stream("matching"));
  const rng = stream("cohort-outcomes");
  const participant = (p: Person): CohortParticipant => ({
    id: p.id,
    orgId: spec.organizations[p.orgIndex].orgId,
    birthYear: p.birthYear,
    jobLevel: p.jobLevel,
    city: p.city,
    languages: p.languages.split("|"),
    topics: p.topics.map((t) => spec.topics[t].topicId),
  });
  const mentorPeople = people.filter((p) => p.role === "mentor");
  const menteePeople = people.filter((p) => p.role === "mentee");
  const cohortPairs: CohortPair[] = pairs.map((pair, k) => {
    const q = qualityLogit(pair.features, effects) + rng.logistic();
    const pairId = `B${String(k + 1).padStart(5, "0")}`;
    if (rng.chance(earlyEndProbability(q))) {
      return { pairId, mentorId: pair.mentor.id, menteeId: pair.mentee.id, status: "ended_early", midpointAnswers: 0, minMidpointSatisfaction: null, matchedAt: isoDay(pair.matched) };
    }
    let answers = 0;
    let min: number | null = null;
    for (const share of [0.9, 0.85]) {
      if (!rng.chance(share)) continue;
      const satisfaction = likert(q, rng, 0.35);
      answers++;
      min = min === null ? satisfaction : Math.min(min, satisfaction);
    }
    return { pairId, mentorId: pair.mentor.id, menteeId: pair.mentee.id, status: "completed", midpointAnswers: answers, minMidpointSatisfaction: min, matchedAt: isoDay(pair.matched) };
  });
  return {
    programId: spec.programId,
    name: spec.name,
    kind: spec.kind,
    startDate: isoDay(spec.start),
    endDate: isoDay(spec.end),
    mentors: mentorPeople.map(participant),
    mentees: menteePeople.map(participant),
    pairs: cohortPairs,
    trueProbability: (mentor, mentee) => sigmoid(qualityLogit(pairFeatures(mentorPeople[mentor], menteePeople[mentee]), effects)),
  };
}
