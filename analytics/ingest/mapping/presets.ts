/**
 * The shipped presets (issue #17): a French and an English "one row per pair" workbook layout,
 * as a platform's matches export looks. One sheet (or CSV file) per pair, mentor's and mentee's
 * columns side by side, the pair's topics in wide columns (`Sujet 1…5`); unmatched participants,
 * meetings, evaluations and costs on their own sheets; the program and its topic catalogue on
 * two small sheets; the HR extract of the eligible population (the optional workforce) on an
 * optional sheet. Organizations come from the people's columns (code, name, sector). E-mail
 * columns are read by no rule: never stored. `npm run seed -- --layout flat-fr` writes a demo
 * export this way (seeds/flat-layout.ts), from the same vocabulary.
 */
import type { MappingInput, RuleInput } from "./schema.ts";

/** The words of one layout: sheet names, headers (`{role}` is the role's word), values. */
export interface FlatVocabulary {
  sheets: { program: string; topics: string; pairs: string; unmatched: string; meetings: string; evaluations: string; costs: string; workforce: string };
  program: { id: string; name: string; kind: string; start: string; end: string; currency: string; previous: string };
  topic: { id: string; name: string; category: string };
  pair: { id: string; program: string; matched: string; ended: string; status: string; reason: string; score: string; reverse: string };
  /** A person's columns; in the pairs sheet `{role}` is the mentor's or the mentee's word, in the unmatched sheet it is dropped. */
  person: {
    id: string;
    email: string;
    orgId: string;
    org: string;
    sector: string;
    birth: string;
    gender: string;
    level: string;
    city: string;
    languages: string;
    topics: string;
    joined: string;
    trained: string;
    role: string;
    program: string;
  };
  /** How a person's header is spelt for a role, from the person's header (`Année de naissance` → `Année de naissance mentor`). */
  roleWords: { mentor: string; mentee: string };
  personHeader: (header: string, role: string) => string;
  wide: { topic: string; chosen: string; acquired: string; rating: string };
  meeting: { id: string; pair: string; date: string; mode: string; duration: string };
  evaluation: { pair: string; respondent: string; phase: string; date: string; satisfaction: string; chemistry: string; continue: string; comment: string };
  cost: { program: string; orgId: string; date: string; category: string; amount: string; currency: string };
  /** The HR extract of the eligible population (optional sheet; the person's id, entity, birth date, gender and level use the person's headers). */
  workforce: { hired: string; left: string; reason: string; promoted: string; observed: string };
  values: {
    kind: Record<"intra" | "inter", string>;
    role: Record<"mentor" | "mentee", string>;
    gender: Record<"F" | "M" | "X", string>;
    status: Record<"active" | "completed" | "ended_early", string>;
    category: Record<"onboarding" | "strategy" | "international" | "difficult_conversations" | "digital" | "other", string>;
    mode: Record<"online" | "offline", string>;
    phase: Record<"midpoint" | "final", string>;
    yesNo: Record<"yes" | "no", string>;
    cost: Record<"subscription" | "training" | "events" | "platform" | "other", string>;
    leave: Record<"voluntary" | "involuntary" | "retirement" | "other", string>;
  };
  /** The CSV spelling of dates and numbers (a workbook stores them as Excel dates and numbers). */
  dateFormat: "DD/MM/YYYY" | "MM/DD/YYYY";
  number: { decimal: "," | "."; thousands: " " | "," };
  /** Lists (languages, topics) in one cell. */
  listSeparator: string;
}

export const WIDE_TOPICS = 5;

export const FLAT_FR: FlatVocabulary = {
  sheets: { program: "Programme", topics: "Sujets", pairs: "Binômes", unmatched: "Sans binôme", meetings: "Rendez-vous", evaluations: "Évaluations", costs: "Coûts", workforce: "Effectifs" },
  program: { id: "Code programme", name: "Programme", kind: "Type", start: "Début", end: "Fin", currency: "Devise", previous: "Édition précédente" },
  topic: { id: "Code sujet", name: "Sujet", category: "Catégorie" },
  pair: { id: "N° binôme", program: "Code programme", matched: "Date de mise en relation", ended: "Date de fin", status: "Statut", reason: "Motif de fin", score: "Score d'appariement", reverse: "Mentorat inversé depuis" },
  person: {
    id: "Matricule",
    email: "E-mail",
    orgId: "Code entité",
    org: "Entité",
    sector: "Secteur",
    birth: "Date de naissance",
    gender: "Genre",
    level: "Niveau",
    city: "Ville",
    languages: "Langues",
    topics: "Sujets",
    joined: "Inscrit le",
    trained: "Formé le",
    role: "Rôle",
    program: "Code programme",
  },
  roleWords: { mentor: "mentor", mentee: "mentoré" },
  personHeader: (header, role) => `${header} ${role}`,
  wide: { topic: "Sujet {n}", chosen: "Choisi le {n}", acquired: "Acquis le {n}", rating: "Note {n}" },
  meeting: { id: "N° rendez-vous", pair: "N° binôme", date: "Date", mode: "Format", duration: "Durée (min)" },
  evaluation: { pair: "N° binôme", respondent: "Répondant", phase: "Étape", date: "Date de réponse", satisfaction: "Satisfaction", chemistry: "Entente", continue: "Souhaite continuer", comment: "Commentaire" },
  cost: { program: "Code programme", orgId: "Code entité", date: "Date", category: "Poste", amount: "Montant", currency: "Devise" },
  workforce: { hired: "Date d'embauche", left: "Date de sortie", reason: "Motif de sortie", promoted: "Date de promotion", observed: "Date d'extraction" },
  values: {
    kind: { intra: "Intra-entreprise", inter: "Inter-entreprises" },
    role: { mentor: "Mentor", mentee: "Mentoré(e)" },
    gender: { F: "Femme", M: "Homme", X: "Autre" },
    status: { active: "En cours", completed: "Terminé", ended_early: "Arrêté" },
    category: { onboarding: "Intégration", strategy: "Stratégie", international: "International", difficult_conversations: "Conversations difficiles", digital: "Numérique", other: "Autre" },
    mode: { online: "Visio", offline: "Présentiel" },
    phase: { midpoint: "Mi-parcours", final: "Finale" },
    yesNo: { yes: "Oui", no: "Non" },
    cost: { subscription: "Abonnement", training: "Formation", events: "Événements", platform: "Plateforme", other: "Autre" },
    leave: { voluntary: "Démission", involuntary: "Licenciement", retirement: "Retraite", other: "Autre" },
  },
  dateFormat: "DD/MM/YYYY",
  number: { decimal: ",", thousands: " " },
  listSeparator: ",",
};

export const FLAT_EN: FlatVocabulary = {
  sheets: { program: "Program", topics: "Topics", pairs: "Pairs", unmatched: "Unmatched", meetings: "Meetings", evaluations: "Evaluations", costs: "Costs", workforce: "Workforce" },
  program: { id: "Program code", name: "Program", kind: "Type", start: "Start date", end: "End date", currency: "Currency", previous: "Previous edition" },
  topic: { id: "Topic code", name: "Topic", category: "Category" },
  pair: { id: "Pair ID", program: "Program code", matched: "Matched on", ended: "Ended on", status: "Status", reason: "End reason", score: "Match score", reverse: "Reverse mentoring since" },
  person: {
    id: "Employee ID",
    email: "Email",
    orgId: "Company code",
    org: "Company",
    sector: "Industry",
    birth: "Date of birth",
    gender: "Gender",
    level: "Level",
    city: "City",
    languages: "Languages",
    topics: "Topics",
    joined: "Joined on",
    trained: "Trained on",
    role: "Role",
    program: "Program code",
  },
  roleWords: { mentor: "Mentor", mentee: "Mentee" },
  personHeader: (header, role) => `${role} ${header.charAt(0).toLowerCase()}${header.slice(1)}`,
  wide: { topic: "Topic {n}", chosen: "Topic {n} chosen on", acquired: "Topic {n} acquired on", rating: "Topic {n} rating" },
  meeting: { id: "Meeting ID", pair: "Pair ID", date: "Date", mode: "Format", duration: "Duration (min)" },
  evaluation: { pair: "Pair ID", respondent: "Respondent", phase: "Stage", date: "Answered on", satisfaction: "Satisfaction", chemistry: "Rapport", continue: "Would continue", comment: "Comment" },
  cost: { program: "Program code", orgId: "Company code", date: "Date", category: "Item", amount: "Amount", currency: "Currency" },
  workforce: { hired: "Hire date", left: "Leaving date", reason: "Leaving reason", promoted: "Promotion date", observed: "Extract date" },
  values: {
    kind: { intra: "Single company", inter: "Cross-company" },
    role: { mentor: "Mentor", mentee: "Mentee" },
    gender: { F: "Female", M: "Male", X: "Other" },
    status: { active: "Ongoing", completed: "Completed", ended_early: "Ended early" },
    category: { onboarding: "Onboarding", strategy: "Strategy", international: "International", difficult_conversations: "Difficult conversations", digital: "Digital", other: "Other" },
    mode: { online: "Online", offline: "In person" },
    phase: { midpoint: "Midpoint", final: "Final" },
    yesNo: { yes: "Yes", no: "No" },
    cost: { subscription: "Subscription", training: "Training", events: "Events", platform: "Platform", other: "Other" },
    leave: { voluntary: "Resignation", involuntary: "Dismissal", retirement: "Retirement", other: "Other" },
  },
  dateFormat: "MM/DD/YYYY",
  number: { decimal: ".", thousands: "," },
  listSeparator: ",",
};

const invert = (values: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(values).map(([k, v]) => [v, k]));

/** The mapping of a flat layout, from its vocabulary. */
export function flatPreset(name: string, v: FlatVocabulary, description: string): MappingInput {
  const date = (from: string): RuleInput => ({ from, date: v.dateFormat });
  const number = (from: string): RuleInput => ({ from, number: v.number });
  const list = (from: string): RuleInput => ({ from, split: v.listSeparator });
  const p = v.person;
  const person = (h: (x: string) => string, role: RuleInput, program: string) => ({
    participant_id: h(p.id),
    program_id: program,
    org_id: h(p.orgId),
    role,
    birth_year: { from: h(p.birth), date: v.dateFormat, year: true as const },
    gender: { from: h(p.gender), values: invert(v.values.gender) },
    job_level: h(p.level),
    city: h(p.city),
    languages: list(h(p.languages)),
    topics: list(h(p.topics)),
    joined_at: date(h(p.joined)),
    trained_at: date(h(p.trained)),
  });
  const org = (h: (x: string) => string) => ({ org_id: h(p.orgId), name: h(p.org), sector: h(p.sector) });
  const asMentor = (x: string) => v.personHeader(x, v.roleWords.mentor);
  const asMentee = (x: string) => v.personHeader(x, v.roleWords.mentee);
  const plain = (x: string) => x;
  const S = v.sheets;
  return {
    binome_mapping: 1,
    name,
    description,
    tables: {
      programs: {
        source: S.program,
        columns: {
          program_id: v.program.id,
          name: v.program.name,
          kind: { from: v.program.kind, values: invert(v.values.kind) },
          start_date: date(v.program.start),
          end_date: date(v.program.end),
          currency: v.program.currency,
          previous_program_id: v.program.previous,
        },
      },
      organizations: [
        { source: S.pairs, columns: org(asMentor) },
        { source: S.pairs, columns: org(asMentee) },
        { source: S.unmatched, columns: org(plain) },
      ],
      participants: [
        { source: S.pairs, columns: person(asMentor, { const: "mentor" }, v.pair.program) },
        { source: S.pairs, columns: person(asMentee, { const: "mentee" }, v.pair.program) },
        { source: S.unmatched, columns: person(plain, { from: p.role, values: invert(v.values.role) }, p.program) },
      ],
      topics: {
        source: S.topics,
        columns: { topic_id: v.topic.id, program_id: v.program.id, name: v.topic.name, category: { from: v.topic.category, values: invert(v.values.category) } },
      },
      pairs: {
        source: S.pairs,
        columns: {
          pair_id: v.pair.id,
          program_id: v.pair.program,
          mentor_id: asMentor(p.id),
          mentee_id: asMentee(p.id),
          matched_at: date(v.pair.matched),
          ended_at: date(v.pair.ended),
          status: { from: v.pair.status, values: invert(v.values.status) },
          end_reason: v.pair.reason,
          match_score: number(v.pair.score),
          reverse_since: date(v.pair.reverse),
        },
      },
      pair_topics: {
        source: S.pairs,
        repeat: Array.from({ length: WIDE_TOPICS }, (_, i) => String(i + 1)),
        skip_if_empty: ["topic_id"],
        columns: { pair_id: v.pair.id, topic_id: v.wide.topic, targeted_at: date(v.wide.chosen), acquired_at: date(v.wide.acquired), rating: v.wide.rating },
      },
      meetings: {
        source: S.meetings,
        columns: {
          meeting_id: v.meeting.id,
          pair_id: v.meeting.pair,
          date: date(v.meeting.date),
          mode: { from: v.meeting.mode, values: invert(v.values.mode) },
          duration_minutes: v.meeting.duration,
        },
      },
      evaluations: {
        source: S.evaluations,
        columns: {
          pair_id: v.evaluation.pair,
          respondent: { from: v.evaluation.respondent, values: invert(v.values.role) },
          phase: { from: v.evaluation.phase, values: invert(v.values.phase) },
          submitted_at: date(v.evaluation.date),
          satisfaction: v.evaluation.satisfaction,
          chemistry: v.evaluation.chemistry,
          would_continue: { from: v.evaluation.continue, values: invert(v.values.yesNo) },
          comment: v.evaluation.comment,
        },
      },
      costs: {
        source: S.costs,
        columns: {
          program_id: v.cost.program,
          org_id: v.cost.orgId,
          date: date(v.cost.date),
          category: { from: v.cost.category, values: invert(v.values.cost) },
          amount: number(v.cost.amount),
          currency: v.cost.currency,
        },
      },
      workforce: {
        source: S.workforce,
        optional: true,
        columns: {
          program_id: p.program,
          person_id: p.id,
          org_id: p.orgId,
          birth_year: { from: p.birth, date: v.dateFormat, year: true },
          hire_date: date(v.workforce.hired),
          job_level: p.level,
          gender: { from: p.gender, values: invert(v.values.gender) },
          left_at: date(v.workforce.left),
          leave_reason: { from: v.workforce.reason, values: invert(v.values.leave) },
          promoted_at: date(v.workforce.promoted),
          observed_until: date(v.workforce.observed),
        },
      },
    },
  };
}

export const PRESETS: Record<string, MappingInput> = {
  "flat-fr": flatPreset("flat-fr", FLAT_FR, "Classeur « un binôme par ligne » (français) : Programme, Sujets, Binômes, Sans binôme, Rendez-vous, Évaluations, Coûts ; Effectifs si l'extraction RH est jointe."),
  "flat-en": flatPreset("flat-en", FLAT_EN, "“One row per pair” workbook (English): Program, Topics, Pairs, Unmatched, Meetings, Evaluations, Costs; Workforce when the HR extract is included."),
};

export const PRESET_NAMES = Object.keys(PRESETS);
