/**
 * The compatibility model: a score in [0, 1] for every (mentor, mentee) pair of a program,
 * the hard constraints (capacities, forbidden pairs, minimum age gap, younger mentors only
 * with reverse mentoring, cross-company when required), and the raw pair features the
 * outcome model uses. Pure: plain data in, typed arrays out. See docs/matching.md.
 */
import { generationOf, GENERATION_KEYS } from "../domain/generations.ts";
import type { Participant, ProgramKind } from "./types.ts";
import type { Weights } from "./weights.ts";

/** The pair features of the outcome model, in this order. */
export const FEATURES = [
  "topic_fit",
  "same_city",
  "age_gap_distance",
  "cross_company",
  "job_level_gap",
  "shared_language",
] as const;
export type FeatureName = (typeof FEATURES)[number];
export const FEATURE_COUNT = FEATURES.length;

/** One side (mentors or mentees) as typed arrays; strings become small integer codes. */
export interface EncodedSide {
  count: number;
  ids: string[];
  org: Int32Array;
  birthYear: Int32Array;
  /** Generation index into GENERATION_KEYS. */
  generation: Int32Array;
  /** NaN when unknown. */
  jobLevel: Float64Array;
  /** −1 when unknown. */
  city: Int32Array;
  /** Bit sets, `words` 32-bit words per person. */
  languages: Uint32Array;
  topics: Uint32Array;
  topicCount: Int32Array;
}

export interface EncodedProgram {
  kind: ProgramKind;
  mentors: EncodedSide;
  mentees: EncodedSide;
  orgNames: string[];
  topicWords: number;
  languageWords: number;
}

function codeBook(): { code(value: string): number; names: string[] } {
  const map = new Map<string, number>();
  const names: string[] = [];
  return {
    code(value) {
      let c = map.get(value);
      if (c === undefined) {
        c = names.length;
        map.set(value, c);
        names.push(value);
      }
      return c;
    },
    names,
  };
}

/** Encodes a program's participants once; every score and feature is computed from this. */
export function encodeProgram(kind: ProgramKind, mentors: Participant[], mentees: Participant[]): EncodedProgram {
  const orgs = codeBook();
  const cities = codeBook();
  const topics = codeBook();
  const languages = codeBook();
  for (const p of [...mentors, ...mentees]) {
    for (const t of p.topics) topics.code(t);
    for (const l of p.languages) languages.code(l);
  }
  const topicWords = Math.max(1, Math.ceil(topics.names.length / 32));
  const languageWords = Math.max(1, Math.ceil(languages.names.length / 32));
  const side = (people: Participant[]): EncodedSide => {
    const n = people.length;
    const s: EncodedSide = {
      count: n,
      ids: people.map((p) => p.id),
      org: new Int32Array(n),
      birthYear: new Int32Array(n),
      generation: new Int32Array(n),
      jobLevel: new Float64Array(n),
      city: new Int32Array(n),
      languages: new Uint32Array(n * languageWords),
      topics: new Uint32Array(n * topicWords),
      topicCount: new Int32Array(n),
    };
    people.forEach((p, i) => {
      s.org[i] = orgs.code(p.orgId);
      s.birthYear[i] = p.birthYear;
      s.generation[i] = GENERATION_KEYS.indexOf(generationOf(p.birthYear));
      s.jobLevel[i] = p.jobLevel ?? NaN;
      s.city[i] = p.city === null || p.city === "" ? -1 : cities.code(p.city.trim().toLowerCase());
      for (const l of new Set(p.languages)) {
        const c = languages.code(l);
        s.languages[i * languageWords + (c >>> 5)] |= 1 << (c & 31);
      }
      const unique = new Set(p.topics);
      s.topicCount[i] = unique.size;
      for (const t of unique) {
        const c = topics.code(t);
        s.topics[i * topicWords + (c >>> 5)] |= 1 << (c & 31);
      }
    });
    return s;
  };
  return { kind, mentors: side(mentors), mentees: side(mentees), orgNames: orgs.names, topicWords, languageWords };
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** Share of the mentee's sought topics that the mentor offers (1 when the mentee seeks none). */
export function topicFit(enc: EncodedProgram, mentor: number, mentee: number): number {
  const sought = enc.mentees.topicCount[mentee];
  if (sought === 0) return 1;
  const w = enc.topicWords;
  let shared = 0;
  for (let k = 0; k < w; k++) shared += popcount(enc.mentors.topics[mentor * w + k] & enc.mentees.topics[mentee * w + k]);
  return shared / sought;
}

function sharesLanguage(enc: EncodedProgram, mentor: number, mentee: number): boolean {
  const w = enc.languageWords;
  for (let k = 0; k < w; k++) if ((enc.mentors.languages[mentor * w + k] & enc.mentees.languages[mentee * w + k]) !== 0) return true;
  return false;
}

/**
 * The raw features of one pair, written into `out` at `offset` in FEATURES order. The age-gap
 * distance is |(mentee birth year − mentor birth year) − target|: a younger mentor is far from
 * the target. An unknown job level gives NaN (the outcome model imputes it).
 */
export function pairFeatures(enc: EncodedProgram, mentor: number, mentee: number, targetGapYears: number, out: Float64Array, offset = 0): void {
  const a = enc.mentors;
  const b = enc.mentees;
  out[offset] = topicFit(enc, mentor, mentee);
  out[offset + 1] = a.city[mentor] >= 0 && a.city[mentor] === b.city[mentee] ? 1 : 0;
  out[offset + 2] = Math.abs(b.birthYear[mentee] - a.birthYear[mentor] - targetGapYears);
  out[offset + 3] = a.org[mentor] !== b.org[mentee] ? 1 : 0;
  out[offset + 4] = Math.abs(a.jobLevel[mentor] - b.jobLevel[mentee]);
  out[offset + 5] = sharesLanguage(enc, mentor, mentee) ? 1 : 0;
}

/** Compatibility scores are multiples of 1 / SCORE_GRID. */
export const SCORE_GRID = 1e9;
/** The most a score moves when rounded to the grid (half a step, and floating-point slack). */
export const SCORE_ROUNDING = 0.5 / SCORE_GRID + 1e-15;

/**
 * Rounded to 1e-9: scores that are equal on paper compare equal (ties are then broken on
 * purpose, by index or seed, never by floating-point noise).
 */
const onGrid = (x: number): number => Math.round(x * SCORE_GRID) / SCORE_GRID;

/** The scoring problem handed to the strategies: rows are mentees, columns mentors. */
export interface ScoredProblem {
  rows: number;
  cols: number;
  /** Row-major mentee × mentor compatibility in [0, 1]; −Infinity = forbidden pair. */
  scores: Float64Array;
  /** Capacity of each mentor. */
  capacities: Int32Array;
  /** Forbidden pairs named in the weights file whose ids are not in the program. */
  warnings: string[];
}

/** A pair's compatibility on demand: mentee i, mentor j (−Infinity = forbidden). */
export type PairScorer = (mentee: number, mentor: number) => number;

export interface ProgramScorer {
  rows: number;
  cols: number;
  /** The score of one pair, as scoreProgram would store it. */
  score: PairScorer;
  /** The scores of mentee i with every mentor, into out[0 .. cols) (the fast path of a full pass). */
  scoreRow: (mentee: number, out: Float64Array) => void;
  /**
   * Mentee i's scores before their rounding to the grid (each within SCORE_ROUNDING of the
   * score, −Infinity where forbidden), faster than scoreRow: the sparse mode's candidate pass
   * ranks with them and rounds only the few pairs that may be kept.
   */
  rawRow: (mentee: number, out: Float64Array) => void;
  /** Whether the hard constraints allow the pair (cheaper than the score). */
  allowed: (mentee: number, mentor: number) => boolean;
  capacities: Int32Array;
  warnings: string[];
  /** Groups whose pairs share a score bound (null with forbidden pairs by id): the sparse mode's candidate pass skips groups that cannot enter a list. */
  groups: ScoreGroups | null;
}

/** People grouped so that a score bound holds for every pair of a mentee group and a mentor group (they differ only by topics). */
export interface ScoreGroups {
  menteeGroup: Int32Array;
  menteeGroups: number;
  mentorGroup: Int32Array;
  mentorGroups: number;
  /** At least the score of every pair of mentee group g and mentor group h; −Infinity: all of them forbidden. */
  bound: (g: number, h: number) => number;
}

/**
 * The compatibility of any pair, computed when asked (no rows × cols matrix): the weighted mean
 * of the components that apply (each in [0, 1]); cross-company counts only when the program
 * kind's mode is `prefer`. Hard constraints and the weights file's forbidden pairs give
 * −Infinity. scoreProgram fills its matrix with it; the sparse mode calls it pair by pair.
 */
export function programScorer(enc: EncodedProgram, weights: Weights): ProgramScorer {
  const rows = enc.mentees.count;
  const cols = enc.mentors.count;
  const w = weights.weights;
  const mode = weights.cross_company[enc.kind];
  const require = mode === "require";
  const wCross = mode === "prefer" ? w.cross_company : 0;
  const { target_years: target, zero_at_distance_years: zeroAt, reverse_mentoring: reverse } = weights.age_gap;
  const zeroAtLevel = weights.job_level_gap.zero_at_gap;
  const minGapOrNull = weights.constraints.min_age_gap_years;
  const hasMinGap = minGapOrNull !== null;
  const minGap = minGapOrNull ?? 0;
  const a = enc.mentors;
  const b = enc.mentees;
  const warnings: string[] = [];
  const mentorIndex = new Map(a.ids.map((id, j) => [id, j]));
  const forbidden = new Set<number>();
  if (weights.constraints.forbidden_pairs.length > 0) {
    const menteeIndex = new Map(b.ids.map((id, i) => [id, i]));
    for (const pair of weights.constraints.forbidden_pairs) {
      const j = mentorIndex.get(pair.mentor_id);
      const i = menteeIndex.get(pair.mentee_id);
      if (i === undefined || j === undefined) {
        warnings.push(`forbidden pair ${pair.mentor_id}–${pair.mentee_id}: ${j === undefined ? "mentor" : "mentee"} not in the program, ignored`);
      } else forbidden.add(i * cols + j);
    }
  }
  const hasForbidden = forbidden.size > 0;
  // Flat typed arrays in the closure: the score runs rows × cols times in a full pass.
  const [aYear, aOrg, aCity, aLevel, aTopics, aLang] = [a.birthYear, a.org, a.city, a.jobLevel, a.topics, a.languages];
  const [bYear, bOrg, bCity, bLevel, bTopics, bLang, bTopicCount] = [b.birthYear, b.org, b.city, b.jobLevel, b.topics, b.languages, b.topicCount];
  const tw = enc.topicWords;
  const lw = enc.languageWords;
  const wTopic = w.topic_fit;
  const wAge = w.age_gap;
  const wCity = w.same_city;
  const wLang = w.shared_language;
  const wLevel = w.job_level_gap;
  const baseWeight = wTopic + wAge + wCity + wLang + wCross;
  const forbiddenByConstraint = (gap: number, crossCompany: boolean) =>
    (!reverse && gap < 0) || (hasMinGap && (reverse ? Math.abs(gap) : gap) < minGap) || (require && !crossCompany);
  const allowed = (i: number, j: number): boolean => {
    if (forbiddenByConstraint(bYear[i] - aYear[j], aOrg[j] !== bOrg[i])) return false;
    return !(hasForbidden && forbidden.has(i * cols + j));
  };
  // The score from a pair's components (the one formula of the pairs and of the group bounds).
  const combine = (fit: number, distance: number, sameCity: boolean, language: boolean, crossCompany: boolean, levelGap: number): number => {
    let total = wTopic * fit;
    let weightSum = baseWeight;
    total += wAge * Math.max(0, 1 - distance / zeroAt);
    if (sameCity) total += wCity;
    if (language) total += wLang;
    if (wCross > 0 && crossCompany) total += wCross;
    if (levelGap === levelGap) {
      total += wLevel * Math.max(0, 1 - levelGap / zeroAtLevel);
      weightSum += wLevel;
    }
    return weightSum > 0 ? total / weightSum : 0;
  };
  const raw = (i: number, j: number): number => {
    const gap = bYear[i] - aYear[j]; // > 0: the mentor is older
    const crossCompany = aOrg[j] !== bOrg[i];
    if (forbiddenByConstraint(gap, crossCompany)) return -Infinity;
    if (hasForbidden && forbidden.has(i * cols + j)) return -Infinity;
    const sought = bTopicCount[i];
    let fit = 1;
    if (sought > 0) {
      let shared = 0;
      for (let k = 0; k < tw; k++) shared += popcount(aTopics[j * tw + k] & bTopics[i * tw + k]);
      fit = shared / sought;
    }
    let language = false;
    for (let k = 0; k < lw && !language; k++) language = (aLang[j * lw + k] & bLang[i * lw + k]) !== 0;
    const distance = Math.abs((reverse ? Math.abs(gap) : gap) - target);
    return combine(fit, distance, aCity[j] >= 0 && aCity[j] === bCity[i], language, crossCompany, Math.abs(aLevel[j] - bLevel[i]));
  };
  const score = (i: number, j: number): number => onGrid(raw(i, j));
  const scoreRow = (i: number, out: Float64Array): void => {
    for (let j = 0; j < cols; j++) out[j] = score(i, j);
  };
  const rawRow = (i: number, out: Float64Array): void => {
    for (let j = 0; j < cols; j++) out[j] = raw(i, j);
  };
  const capacities = new Int32Array(cols).fill(weights.constraints.mentor_capacity);
  for (const [id, capacity] of Object.entries(weights.constraints.mentor_capacities)) {
    const j = mentorIndex.get(id);
    if (j === undefined) warnings.push(`capacity for ${id}: not a mentor of the program, ignored`);
    else capacities[j] = capacity;
  }
  // Groups of people who differ at most by their topics: every other component of a score, and
  // the hard constraints, are the same for all pairs of two groups. Not with forbidden pairs by id.
  let groups: ScoreGroups | null = null;
  if (!hasForbidden) {
    const mentees = groupSide(b, lw);
    const mentors = groupSide(a, lw);
    const bound = (g: number, h: number): number => {
      const i = mentees.first[g];
      const j = mentors.first[h];
      const gap = bYear[i] - aYear[j];
      const crossCompany = aOrg[j] !== bOrg[i];
      if (forbiddenByConstraint(gap, crossCompany)) return -Infinity;
      let language = false;
      for (let k = 0; k < lw && !language; k++) language = (aLang[j * lw + k] & bLang[i * lw + k]) !== 0;
      const distance = Math.abs((reverse ? Math.abs(gap) : gap) - target);
      const sameCity = aCity[j] >= 0 && aCity[j] === bCity[i];
      const levelGap = Math.abs(aLevel[j] - bLevel[i]);
      // The score is linear in the topic fit (in [0, 1]) and rounding is monotone: the larger end bounds every pair.
      return onGrid(Math.max(combine(1, distance, sameCity, language, crossCompany, levelGap), combine(0, distance, sameCity, language, crossCompany, levelGap)));
    };
    groups = { menteeGroup: mentees.group, menteeGroups: mentees.count, mentorGroup: mentors.group, mentorGroups: mentors.count, bound };
  }
  return { rows, cols, score, scoreRow, rawRow, allowed, capacities, warnings, groups };
}

/** Each person's group (same organization, birth year, job level, city and languages), numbered by first appearance. */
function groupSide(s: EncodedSide, lw: number): { group: Int32Array; count: number; first: number[] } {
  const keys = codeBook();
  const group = new Int32Array(s.count);
  const first: number[] = [];
  for (let i = 0; i < s.count; i++) {
    let key = `${s.org[i]}|${s.birthYear[i]}|${s.jobLevel[i]}|${s.city[i]}`;
    for (let k = 0; k < lw; k++) key += `|${s.languages[i * lw + k]}`;
    group[i] = keys.code(key);
    if (group[i] === first.length) first.push(i);
  }
  return { group, count: first.length, first };
}

/** Scores every pair into a dense matrix (programScorer, pair by pair). `scores` may be given (e.g. over a SharedArrayBuffer). */
export function scoreProgram(enc: EncodedProgram, weights: Weights, scores?: Float64Array): ScoredProblem {
  const scorer = programScorer(enc, weights);
  const { rows, cols, scoreRow } = scorer;
  const out = scores ?? new Float64Array(rows * cols);
  if (out.length !== rows * cols) throw new RangeError(`scores: length ${out.length}, expected ${rows * cols}`);
  for (let i = 0; i < rows; i++) scoreRow(i, out.subarray(i * cols, (i + 1) * cols));
  return { rows, cols, scores: out, capacities: scorer.capacities, warnings: scorer.warnings };
}

/** The reach bonus of a pair: cross-generation and cross-company. */
export function reachBonus(enc: EncodedProgram, weights: Weights, mentee: number, mentor: number): number {
  const { cross_generation: bonusGen, cross_company: bonusCompany } = weights.reach_bonus;
  let bonus = 0;
  if (enc.mentors.generation[mentor] !== enc.mentees.generation[mentee]) bonus += bonusGen;
  if (enc.mentors.org[mentor] !== enc.mentees.org[mentee]) bonus += bonusCompany;
  return bonus;
}

/** The reach strategy's scores: the compatibility plus bonuses for cross-generation and cross-company pairs. */
export function reachScores(enc: EncodedProgram, problem: ScoredProblem, weights: Weights): Float64Array {
  const { rows, cols, scores } = problem;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const s = scores[i * cols + j];
      out[i * cols + j] = s === -Infinity ? s : s + reachBonus(enc, weights, i, j);
    }
  }
  return out;
}
