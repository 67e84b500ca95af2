/** The demo programs: who takes part, where, on which topics, and how the export is spelled. */
import { FRENCH_DIALECT, PLAIN_DIALECT, type Dialect } from "./csv-writer.ts";
import { day, type Day } from "./dates.ts";
import { MISMATCH_EFFECTS, type TrueEffects } from "./model.ts";

type Weighted<T> = readonly (readonly [T, number])[];

export interface OrgSpec {
  orgId: string;
  name: string;
  sector: string;
  /** Relative size among the program's participants. */
  weight: number;
  /** Where its participants live. */
  cities: Weighted<string>;
}

export type TopicCategory = "onboarding" | "strategy" | "international" | "difficult_conversations" | "digital" | "other";

export interface TopicSpec {
  topicId: string;
  name: string;
  category: TopicCategory;
  /** How often mentors offer it, and mentees seek it (relative). */
  offered: number;
  sought: number;
}

export interface CostLine {
  orgId: string | null;
  date: Day;
  category: "subscription" | "training" | "events" | "platform" | "other";
  amount: number;
  /** Thousands separator for this amount in a French export (a space, or U+00A0 as Excel writes). */
  thousands?: string;
}

export interface CostContext {
  start: Day;
  end: Day;
  exportDate: Day;
  /** Per organization (same order as `organizations`): its mentors and mentees. */
  headcount: { orgId: string; mentors: number; mentees: number; matchedMentees: number }[];
}

/** The demo workforce of a program (issue 13, seeds/workforce.ts). */
export interface WorkforceSpec {
  /** Non-participants drawn per participant. */
  perParticipant: number;
  /** The extract's day (observed_until). */
  observedUntil: Day;
}

export interface ProgramSpec {
  programId: string;
  name: string;
  /** The previous edition (programs.previous_program_id); the column is written only when set. */
  previousProgramId?: string;
  kind: "intra" | "inter";
  start: Day;
  end: Day;
  /** The day the export was taken: nothing later appears in it. Fixed, never today. */
  exportDate: Day;
  currency: string;
  dialect: Dialect;
  mentors: number;
  mentees: number;
  /** Share of mentors born 1995 or later (reverse mentoring: digital topics). */
  youngMentorShare: number;
  /** Share of mentees born before 1981 (seniors mentored on digital topics, the high octave). */
  seniorMenteeShare: number;
  organizations: OrgSpec[];
  topics: TopicSpec[];
  languages: Weighted<string>;
  /** matched_at = start + an offset drawn uniformly in [from, to] of a weighted band. */
  intake: Weighted<readonly [number, number]>;
  /** The platform looks at this many available mentors for each mentee, in sign-up order. */
  candidates: number;
  preferCrossCompany: boolean;
  reverseRate: number;
  commentRate: number;
  /** Comments given to the first positive evaluations, so the export surely holds them. */
  forcedComments: string[];
  costs(context: CostContext): CostLine[];
  /** The generating model's true effects (default TRUE_EFFECTS; mismatch-demo plants a mismatch). */
  trueEffects?: TrueEffects;
  /** Write a workforce file (issue 13): the eligible population, with known effects of taking part (seeds/workforce.ts). */
  workforce?: WorkforceSpec;
}

const TOPICS: TopicSpec[] = [
  { topicId: "T01", name: "Identifier les personnes clés de l’entreprise", category: "onboarding", offered: 6, sought: 5 },
  { topicId: "T02", name: "Décrypter l’organisation et ses codes", category: "onboarding", offered: 5, sought: 4 },
  { topicId: "T03", name: "Bien comprendre la stratégie de l’entreprise", category: "strategy", offered: 5, sought: 5 },
  { topicId: "T04", name: "Piloter un projet de transformation", category: "strategy", offered: 3, sought: 4 },
  { topicId: "T05", name: "Travailler avec une entreprise à l’international", category: "international", offered: 3, sought: 4 },
  { topicId: "T06", name: "Manœuvrer dans une équipe multiculturelle", category: "international", offered: 2, sought: 3 },
  { topicId: "T07", name: "Anticiper et gérer des conversations difficiles", category: "difficult_conversations", offered: 4, sought: 6 },
  { topicId: "T08", name: "Recadrer sans démotiver", category: "difficult_conversations", offered: 3, sought: 3 },
  { topicId: "T09", name: "Être présent et actif sur les réseaux sociaux", category: "digital", offered: 2, sought: 3 },
  { topicId: "T10", name: "Les meilleures applis pour gagner en efficacité", category: "digital", offered: 2, sought: 3 },
  { topicId: "T11", name: "Prendre la parole en public", category: "other", offered: 4, sought: 3 },
  { topicId: "T12", name: "Concilier vie professionnelle et vie personnelle", category: "other", offered: 3, sought: 2 },
];

export const DIGITAL_TOPICS = ["T09", "T10"];

const LANGUAGES: Weighted<string> = [
  ["fr", 62],
  ["fr|en", 30],
  ["fr|en|de", 3],
  ["fr|es", 3],
  ["en", 2],
];

/** OCTAVE-like: six fictional partner companies, ~50 pairs, 8 months, finished. French export. */
export const OCTAVE_DEMO: ProgramSpec = {
  programId: "octave-demo",
  name: "Octave démo — e-mentoring inter-entreprises 2025-2026",
  kind: "inter",
  start: day("2025-10-01"),
  end: day("2026-05-31"),
  exportDate: day("2026-06-15"),
  currency: "EUR",
  dialect: FRENCH_DIALECT,
  // The HR extract, taken 12 months and a half after the start: the impact figures at 12 months.
  workforce: { perParticipant: 12, observedUntil: day("2026-10-15") },
  mentors: 50,
  mentees: 55,
  youngMentorShare: 0.1,
  seniorMenteeShare: 0.15,
  organizations: [
    { orgId: "BEAUMANOIR", name: "Laiteries Beaumanoir", sector: "Agroalimentaire", weight: 1.1, cities: [["Paris", 4], ["Besançon", 4], ["Lyon", 2]] },
    { orgId: "VALMY-AERO", name: "Aéroconstructions Valmy", sector: "Aéronautique", weight: 1, cities: [["Toulouse", 6], ["Paris", 3], ["Saint-Nazaire", 1]] },
    { orgId: "CLAIRVAL", name: "Maison Clairval Cosmétiques", sector: "Cosmétique", weight: 0.9, cities: [["Paris", 6], ["Orléans", 3], ["Lyon", 1]] },
    { orgId: "ENERLOIRE", name: "Énergies de la Loire", sector: "Énergie", weight: 1, cities: [["Nantes", 4], ["Orléans", 3], ["Paris", 3]] },
    { orgId: "ORVEA", name: "Orvéa Télécom", sector: "Télécommunications", weight: 1, cities: [["Paris", 5], ["Lille", 3], ["Lyon", 2]] },
    { orgId: "DUPERRIER", name: "Banque Duperrier & Cie", sector: "Banque", weight: 1, cities: [["Paris", 7], ["Lille", 2], ["Besançon", 1]] },
  ],
  topics: TOPICS,
  languages: LANGUAGES,
  intake: [[[0, 14], 1]],
  candidates: Number.MAX_SAFE_INTEGER,
  preferCrossCompany: true,
  reverseRate: 0.25,
  commentRate: 0.3,
  forcedComments: [
    "Très bonne écoute ; nous avons fixé un rendez-vous mensuel à Besançon.",
    "Mon mentor m’a dit : \"ose demander\".\nDepuis, je prépare mes entretiens autrement.",
    "Un vrai cœur de métier partagé, et l’œil d’une autre entreprise.",
    "Pour moins de 600 € par personne, le programme vaut largement le coup.",
  ],
  costs({ start, headcount }) {
    const lines: CostLine[] = [];
    for (const org of headcount) {
      // The subscription, below the market's 600 € entry price, per mentored person.
      lines.push({ orgId: org.orgId, date: start, category: "subscription", amount: 480 * org.mentees, thousands: " " });
      lines.push({ orgId: org.orgId, date: start - 12, category: "training", amount: 350 + 45.5 * (org.mentors + org.mentees), thousands: " " });
    }
    // Paid together, written with a no-break space as Excel does.
    lines.push({ orgId: null, date: start + 240, category: "events", amount: 2350.8, thousands: "\u00a0" });
    return lines;
  },
};

/** One group with four subsidiaries (an intra-company program), ~2000 participants, ongoing. */
export const LARGE_DEMO: ProgramSpec = {
  programId: "large-demo",
  name: "Groupe Ravel — mentorat interne 2026-2027",
  kind: "intra",
  start: day("2026-03-01"),
  end: day("2027-02-28"),
  exportDate: day("2026-11-20"),
  currency: "EUR",
  dialect: PLAIN_DIALECT,
  workforce: { perParticipant: 5, observedUntil: day("2027-03-15") },
  mentors: 940,
  mentees: 1060,
  youngMentorShare: 0.06,
  seniorMenteeShare: 0.12,
  organizations: [
    { orgId: "RAVEL-SIEGE", name: "Groupe Ravel — Siège", sector: "Industrie", weight: 3, cities: [["Paris", 8], ["Lyon", 1], ["Lille", 1]] },
    { orgId: "RAVEL-ENERGIE", name: "Ravel Énergie", sector: "Énergie", weight: 2.5, cities: [["Lyon", 4], ["Saint-Étienne", 3], ["Besançon", 2], ["Paris", 1]] },
    { orgId: "RAVEL-SERVICES", name: "Ravel Services", sector: "Services", weight: 2.5, cities: [["Nantes", 4], ["Orléans", 3], ["Paris", 2], ["Toulouse", 1]] },
    { orgId: "RAVEL-LOGISTIQUE", name: "Ravel Logistique", sector: "Logistique", weight: 2, cities: [["Lille", 4], ["Toulouse", 3], ["Orléans", 2], ["Lyon", 1]] },
  ],
  topics: TOPICS,
  languages: LANGUAGES,
  intake: [
    [[0, 30], 70],
    [[31, 60], 20],
    [[61, 90], 10],
  ],
  candidates: 25,
  preferCrossCompany: false,
  reverseRate: 0.1,
  commentRate: 0.15,
  forcedComments: [],
  costs({ start, exportDate, headcount }) {
    const lines: CostLine[] = [];
    for (const org of headcount) {
      lines.push({ orgId: org.orgId, date: start, category: "subscription", amount: 390 * org.mentees });
      lines.push({ orgId: org.orgId, date: start - 10, category: "training", amount: 1200 + 30 * (org.mentors + org.mentees) });
    }
    // Monthly platform fee, paid by the head office, up to the export date.
    for (let month = 0, d = start; d <= exportDate; month++, d = start + Math.round(month * 30.44)) {
      lines.push({ orgId: headcount[0].orgId, date: d, category: "platform", amount: 1850 });
    }
    lines.push({ orgId: null, date: start + 120, category: "events", amount: 6400 });
    return lines;
  },
};

/** The benchmark program: N participants, shaped like large-demo. */
export function scaleDemo(participants: number): ProgramSpec {
  if (!Number.isInteger(participants) || participants < 2) throw new Error(`invalid scale: ${participants}`);
  const mentors = Math.max(1, Math.round(participants * 0.47));
  return {
    ...LARGE_DEMO,
    programId: "scale-demo",
    name: `Scale demo (${participants} participants)`,
    mentors,
    mentees: participants - mentors,
    organizations: Array.from({ length: 8 }, (_, i) => ({
      orgId: `SCALE-ORG-${i + 1}`,
      name: `Scale Entité ${i + 1}`,
      sector: "Industrie",
      weight: 8 - i,
      cities: LARGE_DEMO.organizations[i % LARGE_DEMO.organizations.length].cities,
    })),
    candidates: 20,
    workforce: undefined,
  };
}

/**
 * mismatch-demo (issue 15): large-demo's people and platform, but the true success model
 * weighs the job-level gap heavily (MISMATCH_EFFECTS), which the default compatibility weights
 * underweight. Generated only when asked (`--programs mismatch-demo`); the default demos
 * are unchanged.
 */
export const MISMATCH_DEMO: ProgramSpec = {
  ...LARGE_DEMO,
  programId: "mismatch-demo",
  name: "Mismatch demo (the job-level gap matters more than the default weights say)",
  trueEffects: MISMATCH_EFFECTS,
  workforce: undefined,
};

/**
 * octave-2024 (issue 14, cohort over cohort): the previous edition of octave-demo, one year
 * earlier, a little smaller. Generated only when asked (`--programs octave-2024,octave-demo`):
 * octave-demo then names it as its previous edition; the default demos are unchanged.
 */
export const OCTAVE_2024: ProgramSpec = {
  ...OCTAVE_DEMO,
  programId: "octave-2024",
  name: "Octave démo — e-mentoring inter-entreprises 2024-2025",
  start: day("2024-10-01"),
  end: day("2025-05-31"),
  exportDate: day("2025-06-15"),
  mentors: 42,
  mentees: 46,
  forcedComments: [],
  workforce: undefined,
};

/** Programs generated only when named in `programs`. */
export const EXTRA_PROGRAMS: Record<string, ProgramSpec> = { "mismatch-demo": MISMATCH_DEMO, "octave-2024": OCTAVE_2024 };

/** Editions: a program generated together with its previous edition names it (and comes after it). */
export const PREVIOUS_EDITIONS: Record<string, string> = { "octave-demo": "octave-2024" };

export const DEMO_PROGRAMS: Record<string, ProgramSpec> = {
  "octave-demo": OCTAVE_DEMO,
  "large-demo": LARGE_DEMO,
};
