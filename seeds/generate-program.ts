/**
 * Writes one program's export folder: participants, the platform's (imperfect) matching, then
 * each pair's life — early end, reverse mentoring, topics, meetings, evaluations — all driven
 * by the pair's latent quality (see model.ts and README.md).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { CsvWriter } from "./csv-writer.ts";
import { midpoint, monthStarts, type Day } from "./dates.ts";
import {
  acquireProbability,
  earlyEndProbability,
  latentQuality,
  likert,
  monthlyOfflineProbability,
  pairFeatures,
  platformScore,
  type PairFeatures,
  type Profile,
} from "./model.ts";
import { DIGITAL_TOPICS, type ProgramSpec } from "./programs.ts";
import { createRng, deriveSeed, weightedSampler, type Rng } from "./rng.ts";
import { makeWorkforce, trueImpact, type TrueImpact } from "./workforce.ts";
import { EXTERNAL_END_REASONS, MIXED_COMMENTS, NEGATIVE_COMMENTS, POSITIVE_COMMENTS, QUALITY_END_REASONS } from "./texts.ts";

export const FILES = {
  programs: ["program_id", "name", "kind", "start_date", "end_date", "currency"],
  organizations: ["org_id", "name", "sector"],
  participants: [
    "participant_id", "program_id", "org_id", "role", "birth_year", "gender", "job_level",
    "city", "languages", "topics", "joined_at", "trained_at",
  ],
  topics: ["topic_id", "program_id", "name", "category"],
  pairs: [
    "pair_id", "program_id", "mentor_id", "mentee_id", "matched_at", "ended_at", "status",
    "end_reason", "match_score", "reverse_since",
  ],
  meetings: ["meeting_id", "pair_id", "date", "mode", "duration_minutes"],
  pair_topics: ["pair_id", "topic_id", "targeted_at", "acquired_at", "rating"],
  evaluations: [
    "pair_id", "respondent", "phase", "submitted_at", "satisfaction", "chemistry",
    "would_continue", "comment",
  ],
  costs: ["program_id", "org_id", "date", "category", "amount", "currency"],
} as const;

/** The optional workforce file (issue 13), written for the programs whose spec has a `workforce`. */
export const WORKFORCE_FILE = [
  "program_id", "person_id", "org_id", "birth_year", "hire_date", "job_level", "gender",
  "left_at", "leave_reason", "promoted_at", "observed_until",
] as const;

export type TableName = keyof typeof FILES;

export interface Person extends Profile {
  id: string;
  role: "mentor" | "mentee";
  gender: "F" | "M" | "X";
  city: string;
  languages: string;
  topics: number[];
  joined: Day;
  trained: Day | null;
  young: boolean;
}

export interface Pair {
  mentor: Person;
  mentee: Person;
  features: PairFeatures;
  score: number;
  matched: Day;
}

export interface ProgramSummary {
  programId: string;
  dir: string;
  rows: Record<TableName, number> & { workforce?: number };
  /** With a workforce: the generating model's true effects on the participants at 12 months (seeds/workforce.ts). */
  trueImpact?: TrueImpact;
}

const OFFLINE_MINUTES = [45, 60, 60, 75, 90, 90, 120];
const ONLINE_MINUTES = [30, 30, 45, 45, 60];

export function generateProgram(spec: ProgramSpec, seed: number, dir: string): ProgramSummary {
  mkdirSync(dir, { recursive: true });
  const stream = (label: string) => createRng(deriveSeed(seed, `${spec.programId}/${label}`));
  const people = makePeople(spec, stream("people"));
  const pairs = matchPairs(spec, people, stream("matching"));
  const dialect = spec.dialect;
  const headerOf = (table: string, header: readonly string[]) => (table === "programs" && spec.previousProgramId ? [...header, "previous_program_id"] : header);
  const writers = Object.fromEntries(
    Object.entries(FILES).map(([table, header]) => [table, new CsvWriter(join(dir, `${table}.csv`), headerOf(table, header), dialect)]),
  ) as Record<TableName, CsvWriter>;
  const d = dialect.date;

  writers.programs.row([spec.programId, spec.name, spec.kind, d(spec.start), d(spec.end), spec.currency, ...(spec.previousProgramId ? [spec.previousProgramId] : [])]);
  for (const org of spec.organizations) writers.organizations.row([org.orgId, org.name, org.sector]);
  for (const topic of spec.topics) writers.topics.row([topic.topicId, spec.programId, topic.name, topic.category]);
  for (const p of people) {
    writers.participants.row([
      p.id, spec.programId, spec.organizations[p.orgIndex].orgId, p.role, p.birthYear,
      p.gender === "M" ? dialect.male : p.gender, p.jobLevel, p.city, p.languages,
      p.topics.map((t) => spec.topics[t].topicId).join("|"), d(p.joined), p.trained === null ? null : d(p.trained),
    ]);
  }

  const life = new PairLife(spec, stream("outcomes"), stream("texts"), writers);
  pairs.forEach((pair, i) => life.write(pair, `B${String(i + 1).padStart(idWidth(pairs.length), "0")}`));

  const headcount = spec.organizations.map((org) => ({ orgId: org.orgId, mentors: 0, mentees: 0, matchedMentees: 0 }));
  for (const p of people) headcount[p.orgIndex][p.role === "mentor" ? "mentors" : "mentees"] += 1;
  for (const pair of pairs) headcount[pair.mentee.orgIndex].matchedMentees += 1;
  for (const line of spec.costs({ start: spec.start, end: spec.end, exportDate: spec.exportDate, headcount })) {
    writers.costs.row([spec.programId, line.orgId, d(line.date), line.category, dialect.decimal(line.amount, 2, line.thousands), spec.currency]);
  }

  const rows = {} as ProgramSummary["rows"];
  for (const [table, writer] of Object.entries(writers) as [TableName, CsvWriter][]) {
    writer.close();
    rows[table] = writer.rows;
  }
  if (!spec.workforce) return { programId: spec.programId, dir, rows };

  // The workforce has its own stream: the other files are the same bytes with or without it.
  const workforce = makeWorkforce(spec, spec.workforce, people, stream("workforce"));
  const writer = new CsvWriter(join(dir, "workforce.csv"), WORKFORCE_FILE, dialect);
  const observed = d(spec.workforce.observedUntil);
  for (const w of workforce) {
    writer.row([
      spec.programId, w.personId, spec.organizations[w.orgIndex].orgId, w.birthYear, d(w.hire), w.jobLevel,
      w.gender === "M" ? dialect.male : w.gender, w.leftAt === null ? null : d(w.leftAt), w.leaveReason,
      w.promotedAt === null ? null : d(w.promotedAt), observed,
    ]);
  }
  writer.close();
  rows.workforce = writer.rows;
  return { programId: spec.programId, dir, rows, trueImpact: trueImpact(spec, workforce, 12) };
}

function idWidth(count: number): number {
  return Math.max(3, String(count).length);
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export function makePeople(spec: ProgramSpec, rng: Rng): Person[] {
  const total = spec.mentors + spec.mentees;
  const roles: ("mentor" | "mentee")[] = [];
  for (let i = 0; i < total; i++) roles.push(i < spec.mentors ? "mentor" : "mentee");
  for (let i = total - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [roles[i], roles[j]] = [roles[j], roles[i]];
  }
  const org = weightedSampler(rng, spec.organizations.map((o, i) => [i, o.weight] as const));
  const cityNames = [...new Set(spec.organizations.flatMap((o) => o.cities.map(([c]) => c)))];
  const cityOf = spec.organizations.map((o) => weightedSampler(rng, o.cities));
  const gender = weightedSampler(rng, [["F", 52], ["M", 46], ["X", 2]] as const);
  const language = weightedSampler(rng, spec.languages);
  const languageCodes: string[] = [];
  const languageMask = (codes: string) =>
    codes.split("|").reduce((mask, code) => {
      if (!languageCodes.includes(code)) languageCodes.push(code);
      return mask | (1 << languageCodes.indexOf(code));
    }, 0);
  const levels = {
    mentor: weightedSampler(rng, [[2, 15], [3, 35], [4, 30], [5, 20]] as const),
    youngMentor: weightedSampler(rng, [[1, 50], [2, 50]] as const),
    mentee: weightedSampler(rng, [[1, 30], [2, 35], [3, 25], [4, 10]] as const),
    seniorMentee: weightedSampler(rng, [[3, 40], [4, 40], [5, 20]] as const),
  };
  const offerCount = weightedSampler(rng, [[2, 20], [3, 30], [4, 30], [5, 15], [6, 5]] as const);
  const seekCount = weightedSampler(rng, [[1, 20], [2, 40], [3, 30], [4, 10]] as const);
  const digital = DIGITAL_TOPICS.map((id) => spec.topics.findIndex((t) => t.topicId === id));
  const width = idWidth(total);

  return roles.map((role, i) => {
    const orgIndex = org();
    const cityName = cityOf[orgIndex]();
    let birthYear: number;
    let jobLevel: number;
    let young = false;
    let topics: number[];
    if (role === "mentor") {
      young = rng.chance(spec.youngMentorShare);
      birthYear = young ? rng.int(1995, 2003) : clamp(Math.round(rng.normal(1972, 8)), 1950, 1994);
      jobLevel = young ? levels.youngMentor() : levels.mentor();
      topics = young ? [...digital, ...drawTopics(rng, spec, "offered", 1, digital)] : drawTopics(rng, spec, "offered", offerCount(), []);
    } else {
      const senior = rng.chance(spec.seniorMenteeShare);
      birthYear = senior ? clamp(Math.round(rng.normal(1967, 5)), 1955, 1980) : clamp(Math.round(rng.normal(1993, 5)), 1978, 2005);
      jobLevel = senior ? levels.seniorMentee() : levels.mentee();
      topics = senior && rng.chance(0.6)
        ? [digital[rng.int(0, 1)], ...drawTopics(rng, spec, "sought", seekCount() - 1, digital)]
        : drawTopics(rng, spec, "sought", seekCount(), []);
    }
    topics.sort((a, b) => a - b);
    const languages = language();
    const joined = spec.start - rng.int(20, 75);
    return {
      id: `P${String(i + 1).padStart(width, "0")}`,
      role,
      orgIndex,
      birthYear,
      jobLevel,
      gender: gender(),
      city: cityName,
      cityIndex: cityNames.indexOf(cityName),
      languages,
      languageMask: languageMask(languages),
      topics,
      topicMask: topics.reduce((mask, t) => mask | (1 << t), 0),
      joined,
      trained: rng.chance(0.9) ? joined + rng.int(3, 15) : null,
      young,
    };
  });
}

/** `count` distinct topics by popularity, none of `exclude`. */
function drawTopics(rng: Rng, spec: ProgramSpec, side: "offered" | "sought", count: number, exclude: number[]): number[] {
  const chosen: number[] = [];
  const weights = spec.topics.map((t, i) => (exclude.includes(i) ? 0 : t[side]));
  for (let k = 0; k < count; k++) {
    const total = weights.reduce((a, b) => a + b, 0);
    if (total <= 0) break;
    let target = rng.next() * total;
    let pick = 0;
    while (target >= weights[pick] || weights[pick] === 0) {
      target -= weights[pick];
      pick += 1;
    }
    chosen.push(pick);
    weights[pick] = 0;
  }
  return chosen;
}

/**
 * The platform's matching: mentees in sign-up order; for each, the platform looks at up to
 * `candidates` available mentors and takes the best score plus noise (a noisy greedy).
 */
export function matchPairs(spec: ProgramSpec, people: Person[], rng: Rng): Pair[] {
  const available = people.filter((p) => p.role === "mentor");
  const mentees = people.filter((p) => p.role === "mentee");
  for (let i = mentees.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [mentees[i], mentees[j]] = [mentees[j], mentees[i]];
  }
  const intake = weightedSampler(rng, spec.intake);
  const pairs: Pair[] = [];
  for (const mentee of mentees) {
    if (available.length === 0) break;
    const k = Math.min(spec.candidates, available.length);
    let best = -1;
    let bestValue = -Infinity;
    let bestFeatures: PairFeatures | null = null;
    let bestScore = 0;
    for (let j = 0; j < k; j++) {
      const r = rng.int(j, available.length - 1);
      [available[j], available[r]] = [available[r], available[j]];
      const features = pairFeatures(available[j], mentee);
      const score = platformScore(features, spec.preferCrossCompany);
      const value = score + rng.normal(0, 0.08);
      if (value > bestValue) {
        best = j;
        bestValue = value;
        bestFeatures = features;
        bestScore = score;
      }
    }
    const mentor = available[best];
    available[best] = available[available.length - 1];
    available.pop();
    const [from, to] = intake();
    pairs.push({ mentor, mentee, features: bestFeatures!, score: Math.round(bestScore * 100) / 100, matched: spec.start + rng.int(from, to) });
  }
  // Stable sort: pair ids follow the day the pairs were formed.
  return pairs.sort((a, b) => a.matched - b.matched);
}

/** Writes everything that happens to one pair, from its latent quality. */
class PairLife {
  private readonly mid: Day;
  private readonly horizon: Day;
  private readonly finished: boolean;
  private readonly months: Day[];
  private readonly meetingWidth: number;
  private meetings = 0;
  private forced = 0;

  constructor(
    private readonly spec: ProgramSpec,
    private readonly rng: Rng,
    private readonly textRng: Rng,
    private readonly out: Record<TableName, CsvWriter>,
  ) {
    this.mid = midpoint(spec.start, spec.end);
    this.finished = spec.exportDate >= spec.end;
    this.horizon = Math.min(spec.end, spec.exportDate);
    this.months = monthStarts(spec.start, spec.end + 1);
    this.meetingWidth = String((spec.mentors + spec.mentees) * 12).length;
  }

  write(pair: Pair, pairId: string): void {
    const { spec, rng } = this;
    const q = latentQuality(pair.features, rng, spec.trueEffects);
    const matched = pair.matched;

    // Early end: decided over the whole program; invisible if it falls after the export.
    let endedAt: Day | null = null;
    let status: "active" | "completed" | "ended_early" = this.finished ? "completed" : "active";
    let endReason: string | null = null;
    if (rng.chance(earlyEndProbability(q))) {
      const lo = matched + 21;
      const hi = spec.end - 14;
      const u = rng.next();
      const when = lo + Math.floor((q < 0 ? u * u : u) * (hi - lo));
      const internal = q < 0 ? rng.chance(0.85) : rng.chance(0.2);
      const reason = this.textRng.pick(internal ? QUALITY_END_REASONS : EXTERNAL_END_REASONS);
      if (hi > lo && when <= spec.exportDate) {
        endedAt = when;
        status = "ended_early";
        endReason = reason;
      }
    }
    let lastDay = endedAt ?? this.horizon;

    let reverseSince: Day | null = null;
    if (!pair.mentor.young && q > 0.3 && rng.chance(spec.reverseRate)) {
      const when = matched + rng.int(45, 150);
      if (when <= lastDay) reverseSince = when;
    }

    // Topics: the mentee's sought topics, plus a digital one once the pair turns to reverse.
    const targets = pair.mentee.topics.map((t) => ({ topic: t, targeted: Math.min(matched + rng.int(0, 10), lastDay) }));
    if (reverseSince !== null) {
      const digital = DIGITAL_TOPICS.map((id) => spec.topics.findIndex((t) => t.topicId === id)).filter((t) => !pair.mentee.topics.includes(t));
      if (digital.length > 0) targets.push({ topic: digital[0], targeted: reverseSince });
    }
    const topicRows: { topic: number; targeted: Day; acquired: Day | null; rating: number | null }[] = [];
    let lastAcquired = -Infinity;
    let allAcquired = true;
    for (const { topic, targeted } of targets) {
      const offered = (pair.mentor.topicMask & (1 << topic)) !== 0 || reverseSince !== null;
      let acquired: Day | null = null;
      if (rng.chance(acquireProbability(q, offered))) {
        const span = Math.max(1, spec.end - targeted - 20);
        const when = targeted + 20 + Math.floor(rng.next() ** 1.3 * span);
        if (when <= lastDay) acquired = when;
      }
      const rating = acquired === null ? null : likert(q, rng, 0.7, 3.8);
      if (acquired === null) allAcquired = false;
      else lastAcquired = Math.max(lastAcquired, acquired);
      topicRows.push({ topic, targeted, acquired, rating });
    }

    if (status === "completed") {
      endedAt = spec.end;
    } else if (status === "active" && allAcquired && q > 0 && lastAcquired >= this.mid && rng.chance(0.8)) {
      // An ongoing program: a pair that reached every goal may close before the end.
      const when = Math.max(lastAcquired, reverseSince ?? 0) + rng.int(5, 20);
      if (when <= this.horizon) {
        endedAt = when;
        status = "completed";
      }
    }
    lastDay = endedAt ?? this.horizon;

    this.out.pairs.row([
      pairId, spec.programId, pair.mentor.id, pair.mentee.id, this.date(matched), endedAt === null ? null : this.date(endedAt),
      status, endReason, spec.dialect.decimal(pair.score, 2), reverseSince === null ? null : this.date(reverseSince),
    ]);
    for (const t of topicRows) {
      this.out.pair_topics.row([
        pairId, spec.topics[t.topic].topicId, this.date(t.targeted), t.acquired === null ? null : this.date(t.acquired), t.rating,
      ]);
    }
    this.writeMeetings(pairId, q, pair.features.sameCity === 1, matched, lastDay, reverseSince);
    this.writeEvaluations(pairId, q, endedAt, status);
  }

  private writeMeetings(pairId: string, q: number, sameCity: boolean, matched: Day, lastDay: Day, reverseSince: Day | null): void {
    const { rng } = this;
    const offline = monthlyOfflineProbability(q);
    const days: { day: Day; online: boolean }[] = [];
    for (let m = 0; m + 1 < this.months.length; m++) {
      const from = Math.max(this.months[m], matched);
      const to = Math.min(this.months[m + 1] - 1, lastDay);
      if (to < from) continue;
      const length = to - from + 1;
      const share = Math.min(1, length / 30);
      days.length = 0;
      if (rng.chance(offline * share)) {
        days.push({ day: from + rng.int(0, length - 1), online: false });
        if (rng.chance(0.25)) days.push({ day: from + rng.int(0, length - 1), online: false });
      }
      const onlineChance = (sameCity ? 0.3 : 0.55) + (reverseSince !== null && from >= reverseSince ? 0.3 : 0);
      if (rng.chance(Math.min(1, onlineChance) * share)) days.push({ day: from + rng.int(0, length - 1), online: true });
      days.sort((a, b) => a.day - b.day);
      for (const meeting of days) {
        this.meetings += 1;
        this.out.meetings.row([
          `M${String(this.meetings).padStart(this.meetingWidth, "0")}`, pairId, this.date(meeting.day),
          meeting.online ? "online" : "offline", meeting.online ? rng.pick(ONLINE_MINUTES) : rng.pick(OFFLINE_MINUTES),
        ]);
      }
    }
  }

  private writeEvaluations(pairId: string, q: number, endedAt: Day | null, status: string): void {
    const { rng, spec } = this;
    for (const respondent of ["mentor", "mentee"] as const) {
      if (!rng.chance(respondent === "mentee" ? 0.9 : 0.85)) continue;
      const when = this.mid + rng.int(0, 20);
      if (when > this.horizon || (endedAt !== null && when >= endedAt)) continue;
      this.answer(pairId, respondent, "midpoint", when, likert(q, rng, 0.35), likert(q, rng, 0.5), q + rng.normal(0, 0.7) > -0.5);
    }
    if (status !== "completed" || endedAt === null) return;
    for (const respondent of ["mentor", "mentee"] as const) {
      if (!rng.chance(0.85)) continue;
      const when = Math.max(this.mid + 1, endedAt - (endedAt === spec.end ? rng.int(0, 13) : rng.int(0, 5)));
      this.answer(pairId, respondent, "final", when, likert(q, rng, 0.5, 3.6), likert(q, rng, 0.5, 3.6), q + rng.normal(0, 0.7) > -0.5);
    }
  }

  private answer(pairId: string, respondent: string, phase: string, when: Day, satisfaction: number, chemistry: number, wouldContinue: boolean): void {
    let comment: string | null = null;
    if (satisfaction >= 4 && this.forced < this.spec.forcedComments.length) {
      comment = this.spec.forcedComments[this.forced++];
    } else if (this.textRng.chance(this.spec.commentRate)) {
      comment = this.textRng.pick(satisfaction >= 4 ? POSITIVE_COMMENTS : satisfaction === 3 ? MIXED_COMMENTS : NEGATIVE_COMMENTS);
    }
    this.out.evaluations.row([
      pairId, respondent, phase, this.date(when), satisfaction, chemistry, this.spec.dialect.yesNo(wouldContinue), comment,
    ]);
  }

  private date(d: Day): string {
    return this.spec.dialect.date(d);
  }
}
