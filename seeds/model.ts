/**
 * The generating model of the demo data (documented with its coefficients in seeds/README.md):
 * pair features → one latent pair quality → every outcome of the pair.
 */
import { sigmoid, type Rng } from "./rng.ts";

/** The age gap (mentee's birth year − mentor's birth year) at which a pair works best. */
export const TARGET_AGE_GAP_YEARS = 15;

export interface Profile {
  orgIndex: number;
  birthYear: number;
  jobLevel: number;
  cityIndex: number;
  /** Bit i set: the participant offers (mentor) or seeks (mentee) topic i. */
  topicMask: number;
  languageMask: number;
}

export interface PairFeatures {
  /** Share of the mentee's sought topics that the mentor offers, 0–1 (1 when none sought). */
  topicFit: number;
  /** 1 when mentor and mentee live in the same city. */
  sameCity: number;
  /** |(mentee birth year − mentor birth year) − 15|, in years. */
  ageGapDistance: number;
  /** 1 when mentor and mentee belong to different organizations. */
  crossCompany: number;
  /** |mentor job level − mentee job level|, 0–4. */
  jobLevelGap: number;
  /** 1 when they share at least one language (used by the platform, no true effect). */
  sharedLanguage: number;
}

/**
 * True effects on the pair-quality logit, per unit of each feature as defined above.
 * Order of strength (per standard deviation among the recorded pairs of large-demo, see the
 * README): topic fit > same city > age-gap distance > cross-company > job-level gap.
 */
export const TRUE_EFFECTS = {
  intercept: -4.25,
  topicFit: 6.8,
  sameCity: 2.4,
  ageGapDistance: -0.1,
  crossCompany: 1.05,
  jobLevelGap: -0.2,
  sharedLanguage: 0,
} as const;

export type TrueEffects = { readonly [K in keyof typeof TRUE_EFFECTS]: number };

/**
 * The planted mismatch (mismatch-demo, issue 15): the same world except that the job-level
 * gap matters a lot (−1.5 per level instead of −0.2), a feature the default compatibility
 * weights underweight (0.10 of 1) and the platform ignores. The intercept is raised so that
 * about as many pairs succeed. See seeds/README.md.
 */
export const MISMATCH_EFFECTS: TrueEffects = {
  ...TRUE_EFFECTS,
  intercept: -2.45,
  jobLevelGap: -1.5,
};

/**
 * A world where the default compatibility weights are right (issue 15's control): the logit
 * is 10 × the default score up to a constant — topic fit 0.40, same city 0.20, age fit 0.15
 * (1 − distance/25, so −0.06 per year), job-level fit 0.10 (1 − gap/4, so −0.25 per level),
 * shared language 0.05; cross-company 0 (ignored in intra programs).
 */
export const ALIGNED_EFFECTS: TrueEffects = {
  intercept: -3.0,
  topicFit: 4.0,
  sameCity: 2.0,
  ageGapDistance: -0.06,
  crossCompany: 0,
  jobLevelGap: -0.25,
  sharedLanguage: 0.5,
};

export function popcount(mask: number): number {
  let n = mask - ((mask >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export function pairFeatures(mentor: Profile, mentee: Profile): PairFeatures {
  const sought = popcount(mentee.topicMask);
  return {
    topicFit: sought === 0 ? 1 : popcount(mentee.topicMask & mentor.topicMask) / sought,
    sameCity: mentor.cityIndex === mentee.cityIndex ? 1 : 0,
    ageGapDistance: Math.abs(mentee.birthYear - mentor.birthYear - TARGET_AGE_GAP_YEARS),
    crossCompany: mentor.orgIndex === mentee.orgIndex ? 0 : 1,
    jobLevelGap: Math.abs(mentor.jobLevel - mentee.jobLevel),
    sharedLanguage: (mentor.languageMask & mentee.languageMask) !== 0 ? 1 : 0,
  };
}

/** The systematic part of the pair-quality logit. */
export function qualityLogit(f: PairFeatures, b: TrueEffects = TRUE_EFFECTS): number {
  return (
    b.intercept +
    b.topicFit * f.topicFit +
    b.sameCity * f.sameCity +
    b.ageGapDistance * f.ageGapDistance +
    b.crossCompany * f.crossCompany +
    b.jobLevelGap * f.jobLevelGap +
    b.sharedLanguage * f.sharedLanguage
  );
}

/**
 * The latent pair quality q = logit + standard logistic noise, so P(q > 0) = sigmoid(logit):
 * a logistic regression on the features is the right model for "q > 0".
 */
export function latentQuality(f: PairFeatures, rng: Rng, effects: TrueEffects = TRUE_EFFECTS): number {
  return qualityLogit(f, effects) + rng.logistic();
}

/**
 * The platform's matching score (what `match_score` records): a plausible but imperfect
 * weighting — it ignores the job-level gap, uses a soft age-gap fit and counts shared
 * language, which has no true effect. `preferCrossCompany` for inter-company programs.
 */
export function platformScore(f: PairFeatures, preferCrossCompany: boolean): number {
  const ageFit = Math.max(0, 1 - f.ageGapDistance / 25);
  const raw =
    0.45 * f.topicFit + 0.2 * ageFit + 0.15 * f.sameCity + 0.1 * f.sharedLanguage + (preferCrossCompany ? 0.1 * f.crossCompany : 0);
  return raw / (preferCrossCompany ? 1 : 0.9);
}

// The outcomes, each driven by q (plus noise). Kept here so the README and the code agree.

/** Probability that the pair ends early at some point of the program. */
export const earlyEndProbability = (q: number): number => 0.04 + 0.7 * sigmoid(-1.5 * (q + 1));

/** A 1–5 answer centred on 3.5 and moving 0.6 point per unit of q: ≥ 4 roughly when q > 0. */
export function likert(q: number, rng: Rng, noiseSd: number, centre = 3.5): number {
  return Math.min(5, Math.max(1, Math.round(centre + 0.6 * q + rng.normal(0, noiseSd))));
}

/** Probability of an offline meeting in a given month of the pair's life. */
export const monthlyOfflineProbability = (q: number): number => sigmoid(1 + 0.8 * q);

/** Probability that a targeted topic gets acquired during the program. */
export const acquireProbability = (q: number, offeredByMentor: boolean): number =>
  sigmoid(-0.3 + 0.8 * q + (offeredByMentor ? 0.9 : -0.9));
