/**
 * The demo workforce (issue 13): every employee of the program's organizations on its start
 * date, participants and non-participants, with departures and promotions drawn from a known
 * model in which (1) who takes part depends on organization, generation, job level and tenure,
 * and those also drive leaving and promotion, so a raw comparison is biased; and (2) taking part
 * lowers the voluntary-leaving hazard and raises the promotion hazard by known ratios. The true
 * effect on the participants (ATT) is computed exactly from the model (`trueImpact`). See
 * README.md, "The workforce".
 */
import { addMonths, cellKey, covariatesOf, daysBetween, type Covariates, type JobLevelKey, type TenureBand } from "../analytics/impact/bands.ts";
import type { GenerationKey } from "../analytics/domain/generations.ts";
import { isoDate, type Day } from "./dates.ts";
import type { ProgramSpec, WorkforceSpec } from "./programs.ts";
import type { Rng } from "./rng.ts";

/** What the workforce needs of a participant (seeds/generate-program.ts's Person). */
export interface Person {
  id: string;
  role: "mentor" | "mentee";
  orgIndex: number;
  birthYear: number;
  jobLevel: number;
  gender: "F" | "M" | "X";
}

type Effects<K extends string> = Record<K, number>;

/** Log-multipliers of one hazard (or of the odds of taking part), per covariate value. */
export interface Factor {
  generation: Effects<GenerationKey>;
  level: Effects<Exclude<JobLevelKey, "unknown">>;
  tenure: Effects<TenureBand>;
  /** Per organization, by its index in the program's list (cycled). */
  org: readonly number[];
}

export interface WorkforceModel {
  /** Odds of taking part, relative (log): non-participants are the participants' covariates tilted by exp(−this). */
  participation: Factor;
  /** Voluntary leaving: base monthly hazard × exp(sum of the factor's terms). */
  voluntary: Factor & { base: number };
  /** Promotion: base monthly hazard × exp(sum). */
  promotion: Factor & { base: number };
  /** Every other departure (involuntary, retirement, other): one monthly hazard for everyone. */
  otherLeaving: number;
  /** The effect of taking part, as hazard ratios per role. */
  treatment: { voluntary: Record<"mentor" | "mentee", number>; promotion: Record<"mentor" | "mentee", number> };
}

export const WORKFORCE_MODEL: WorkforceModel = {
  participation: {
    generation: { boomers: -0.3, gen_x: 0, millennials: 0.1, gen_z: 0.2 },
    level: { 1: -0.3, 2: 0, 3: 0.2, 4: 0.4, 5: 0.5 },
    tenure: { lt2: -0.6, "2to5": 0, "5to10": 0.3, "10to20": 0.6, ge20: 0.6 },
    org: [0.8, -0.6, 0.3, -0.4, 0.5, -0.7],
  },
  voluntary: {
    base: 0.012,
    generation: { boomers: -0.4, gen_x: 0, millennials: 0.3, gen_z: 0.6 },
    level: { 1: 0.3, 2: 0.15, 3: 0, 4: -0.15, 5: -0.3 },
    tenure: { lt2: 0.6, "2to5": 0.3, "5to10": 0, "10to20": -0.3, ge20: -0.5 },
    org: [-0.5, 0.45, -0.2, 0.3, -0.3, 0.4],
  },
  promotion: {
    base: 0.01,
    generation: { boomers: -0.8, gen_x: -0.2, millennials: 0.2, gen_z: 0.1 },
    level: { 1: 0.1, 2: 0.1, 3: 0, 4: -0.1, 5: -0.5 },
    tenure: { lt2: -0.6, "2to5": -0.1, "5to10": 0.2, "10to20": 0.4, ge20: 0.3 },
    org: [0.8, -0.7, 0.4, -0.4, 0.5, -0.6],
  },
  otherLeaving: 0.003,
  treatment: { voluntary: { mentee: 0.6, mentor: 0.7 }, promotion: { mentee: 1.6, mentor: 1.3 } },
};

const DAYS_PER_MONTH = 365.25 / 12;

function term(f: Factor, c: Covariates, orgIndex: number): number {
  const level = c.jobLevel === "unknown" ? 0 : f.level[c.jobLevel];
  return f.generation[c.generation] + level + f.tenure[c.tenure] + f.org[orgIndex % f.org.length];
}

/** Monthly hazards of one person: voluntary leaving, promotion, other leaving. */
export function hazards(model: WorkforceModel, c: Covariates, orgIndex: number, role: "mentor" | "mentee" | null) {
  const treatedV = role ? model.treatment.voluntary[role] : 1;
  const treatedP = role ? model.treatment.promotion[role] : 1;
  return {
    voluntary: model.voluntary.base * Math.exp(term(model.voluntary, c, orgIndex)) * treatedV,
    promotion: model.promotion.base * Math.exp(term(model.promotion, c, orgIndex)) * treatedP,
    other: model.otherLeaving,
  };
}

export interface WorkforcePerson {
  personId: string;
  orgIndex: number;
  birthYear: number;
  jobLevel: number;
  gender: "F" | "M" | "X";
  hire: Day;
  /** The participant's role, null for a non-participant. */
  role: "mentor" | "mentee" | null;
  covariates: Covariates;
  leftAt: Day | null;
  leaveReason: "voluntary" | "involuntary" | "retirement" | "other" | null;
  promotedAt: Day | null;
}

/** Tenure at the start, in days: hired at 20 at the earliest, at least a month before the start. */
function drawTenureDays(rng: Rng, ageAtStart: number, role: "mentor" | "mentee"): number {
  const maxYears = Math.max(1, ageAtStart - 20);
  // Mentors have been there longer on average; mentees are more often recent hires.
  const u = role === "mentor" ? Math.sqrt(rng.next()) : rng.next() ** 1.6;
  return Math.max(31, Math.round(u * maxYears * 365.25));
}

const exponential = (rng: Rng, monthlyHazard: number): number => (monthlyHazard <= 0 ? Number.POSITIVE_INFINITY : (-Math.log(1 - rng.next()) / monthlyHazard) * DAYS_PER_MONTH);

/**
 * The workforce of one program: its participants (person_id = participant_id, their own
 * organization, birth year, level and gender, a drawn hire date) and `perParticipant` ×
 * participants others. Each other copies the covariates of a random participant and is kept
 * with probability ∝ exp(−participation terms): so the odds of taking part given the
 * covariates are exactly exp(participation terms) (times a constant). Then every person's
 * departures and promotion over [start, observed_until].
 */
export function makeWorkforce(spec: ProgramSpec, workforce: WorkforceSpec, people: Person[], rng: Rng, model: WorkforceModel = WORKFORCE_MODEL): WorkforcePerson[] {
  const startIso = isoDate(spec.start);
  const startYear = Number(startIso.slice(0, 4));
  const out: WorkforcePerson[] = [];
  const covariates = (orgIndex: number, birthYear: number, jobLevel: number, hire: Day) =>
    covariatesOf(spec.organizations[orgIndex].orgId, birthYear, jobLevel, isoDate(hire), startIso);
  for (const p of people) {
    const hire = spec.start - drawTenureDays(rng, startYear - p.birthYear, p.role);
    out.push({ personId: p.id, orgIndex: p.orgIndex, birthYear: p.birthYear, jobLevel: p.jobLevel, gender: p.gender, hire, role: p.role, covariates: covariates(p.orgIndex, p.birthYear, p.jobLevel, hire), leftAt: null, leaveReason: null, promotedAt: null });
  }
  const tilt = (c: Covariates, orgIndex: number) => -term(model.participation, c, orgIndex);
  let maxTilt = Number.NEGATIVE_INFINITY;
  for (const f of [model.participation]) {
    const g = Math.max(...Object.values(f.generation).map((v) => -v));
    const l = Math.max(...Object.values(f.level).map((v) => -v));
    const t = Math.max(...Object.values(f.tenure).map((v) => -v));
    const o = Math.max(...f.org.slice(0, spec.organizations.length).map((v) => -v));
    maxTilt = g + l + t + o;
  }
  const wanted = Math.round(people.length * workforce.perParticipant);
  const width = Math.max(5, String(wanted).length);
  let made = 0;
  while (made < wanted) {
    const template = people[rng.int(0, people.length - 1)];
    const hire = spec.start - drawTenureDays(rng, startYear - template.birthYear, template.role);
    const c = covariates(template.orgIndex, template.birthYear, template.jobLevel, hire);
    if (!rng.chance(Math.exp(tilt(c, template.orgIndex) - maxTilt))) continue;
    made++;
    out.push({ personId: `W${String(made).padStart(width, "0")}`, orgIndex: template.orgIndex, birthYear: template.birthYear, jobLevel: template.jobLevel, gender: template.gender, hire, role: null, covariates: c, leftAt: null, leaveReason: null, promotedAt: null });
  }
  const window = workforce.observedUntil - spec.start;
  for (const w of out) {
    const h = hazards(model, w.covariates, w.orgIndex, w.role);
    const voluntary = exponential(rng, h.voluntary);
    const other = exponential(rng, h.other);
    const promotion = exponential(rng, h.promotion);
    const leave = Math.min(voluntary, other);
    const leaveDay = Math.max(1, Math.ceil(leave));
    if (leaveDay <= window) {
      w.leftAt = spec.start + leaveDay;
      if (voluntary <= other) w.leaveReason = "voluntary";
      else {
        const u = rng.next();
        w.leaveReason = u < 0.55 ? "involuntary" : u < 0.85 && w.birthYear <= 1962 ? "retirement" : "other";
      }
    }
    const promotionDay = Math.max(1, Math.ceil(promotion));
    if (promotionDay <= Math.min(window, w.leftAt === null ? window : w.leftAt - spec.start)) w.promotedAt = spec.start + promotionDay;
  }
  return out;
}

/** The true effects on the participants at a horizon, overall and per role, in rate points (shares). */
export interface TrueImpact {
  horizonMonths: number;
  retention: Record<"all" | "mentee" | "mentor", { treated: number; untreated: number; effect: number }>;
  promotion: Record<"all" | "mentee" | "mentor", { treated: number; untreated: number; effect: number }>;
}

/**
 * What Kaplan–Meier estimates on the participants as they are (treated) and as they would have
 * been without the program (untreated), from the model's hazards, at H months: retention =
 * survival from voluntary leaving (other departures censor, at one rate for everyone, so the
 * limit is the mean of the participants' survivals); promotion = 1 − survival from promotion,
 * censored by every departure, whose Kaplan–Meier limit is exp(−∫ λ) with λ(u) the
 * participants' promotion hazard averaged over those still at risk at u (integrated per day).
 */
export function trueImpact(spec: ProgramSpec, people: WorkforcePerson[], horizonMonths: number, model: WorkforceModel = WORKFORCE_MODEL): TrueImpact {
  const startIso = isoDate(spec.start);
  const days = daysBetween(startIso, addMonths(startIso, horizonMonths));
  const participants = people.filter((p) => p.role !== null);
  const groups = { all: participants, mentee: participants.filter((p) => p.role === "mentee"), mentor: participants.filter((p) => p.role === "mentor") };
  const result = { horizonMonths, retention: {}, promotion: {} } as TrueImpact;
  for (const [name, group] of Object.entries(groups) as ["all" | "mentee" | "mentor", WorkforcePerson[]][]) {
    const arms = (treated: boolean) => {
      const rates = group.map((p) => {
        const h = hazards(model, p.covariates, p.orgIndex, treated ? p.role : null);
        return { v: h.voluntary / DAYS_PER_MONTH, p: h.promotion / DAYS_PER_MONTH, d: (h.voluntary + h.other) / DAYS_PER_MONTH };
      });
      const retention = rates.reduce((s, r) => s + Math.exp(-r.v * days), 0) / rates.length;
      // Promotion: integrate the at-risk-averaged hazard with the midpoint rule, 4 steps a day.
      let cumulative = 0;
      const steps = days * 4;
      for (let i = 0; i < steps; i++) {
        const u = (i + 0.5) / 4;
        let num = 0;
        let den = 0;
        for (const r of rates) {
          const atRisk = Math.exp(-(r.p + r.d) * u);
          num += atRisk * r.p;
          den += atRisk;
        }
        cumulative += (num / den) / 4;
      }
      return { retention, promotion: 1 - Math.exp(-cumulative) };
    };
    const t = arms(true);
    const u = arms(false);
    result.retention[name] = { treated: t.retention, untreated: u.retention, effect: t.retention - u.retention };
    result.promotion[name] = { treated: t.promotion, untreated: u.promotion, effect: t.promotion - u.promotion };
  }
  return result;
}

export { cellKey };
