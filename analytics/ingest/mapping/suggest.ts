/**
 * A first mapping from what the files show (`npm run ingest -- --suggest-mapping PATH…`): each
 * sheet or file is recognised as a table (or as a flat one-row-per-pair sheet, whose mentor's
 * and mentee's columns are told apart by their role word) from its name and headers, each header
 * matched to a column through French and English synonyms, and the values looked at: a value map
 * for each choice column, the date format (day or month first), the number format, a list's
 * separator, a birth date whose year is wanted, people known only by name (a pseudonym). The user
 * edits what it got wrong. Pure: sources in, a mapping out.
 */
import { TABLES, tableSpec, type TableName } from "../spec.ts";
import type { MappingInput, PartInput, RuleInput } from "./schema.ts";
import { sampleRows, type Cell, type Source } from "./sources.server.ts";

/** A header as synonyms are matched: no accents, lower case, words only. */
export function norm(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

const MENTOR_WORDS = ["mentor", "mentors", "marraine", "parrain", "tuteur", "tutrice", "coach"];
const MENTEE_WORDS = ["mentore", "mentoree", "mentores", "mentee", "mentees", "filleul", "filleule", "protege", "coachee", "mentore e"];

type Role = "mentor" | "mentee";

/** The role a header is about (`Date de naissance mentoré` → mentee) and the header without its role word. */
function roleOf(header: string): { role: Role | null; rest: string } {
  const words = norm(header).split(" ");
  // "Mentoré(e)" becomes "mentore e": drop the lone "e".
  const drop = (w: string, i: number) => !(w === "e" && i > 0 && [...MENTEE_WORDS, ...MENTOR_WORDS].includes(words[i - 1]));
  const kept = words.filter(drop);
  const isMentee = kept.some((w) => MENTEE_WORDS.includes(w));
  const isMentor = !isMentee && kept.some((w) => MENTOR_WORDS.includes(w));
  const role: Role | null = isMentee ? "mentee" : isMentor ? "mentor" : null;
  const rest = role ? kept.filter((w) => !(role === "mentee" ? MENTEE_WORDS : MENTOR_WORDS).includes(w)).join(" ") : kept.join(" ");
  return { role, rest };
}

const PROGRAM_ID = ["code programme", "program code", "programme code", "program id", "programme id", "id programme", "code du programme", "cohort id", "cohort code", "code cohorte"];
const PAIR_ID = ["n binome", "no binome", "numero binome", "id binome", "binome", "code binome", "pair id", "pair", "pair code", "match id", "match", "match no", "match number", "relation id"];
const PERSON_ID = ["matricule", "employee id", "employee number", "id", "identifiant", "participant id", "id participant", "user id", "person id", "staff id", "code participant"];
const ORG_ID = ["code entite", "code entreprise", "company code", "company id", "org id", "organisation id", "organization id", "entity code", "code societe", "employer code", "organisation code", "organization code"];
const ORG_NAME = ["entite", "entreprise", "company", "societe", "organisation", "organization", "employer", "company name", "nom entreprise", "raison sociale"];
const FIRST_NAME = ["prenom", "first name", "firstname", "given name", "forename"];
const LAST_NAME = ["nom", "last name", "lastname", "surname", "family name", "nom de famille"];
const FULL_NAME = ["nom complet", "full name", "name", "nom et prenom", "prenom nom"];

/** Synonyms of each column, per table, as `norm` writes them. */
const SYNONYMS: Partial<Record<TableName, Record<string, string[]>>> = {
  programs: {
    program_id: [...PROGRAM_ID, "code", "id"],
    name: ["programme", "program", "nom du programme", "program name", "programme name", "intitule", "nom", "name", "cohort name", "cohort", "libelle"],
    kind: ["type", "kind", "type de programme", "program type", "nature", "scope"],
    start_date: ["debut", "start date", "date de debut", "start", "launch date", "date debut", "start on", "starts on", "opening date", "ouverture"],
    end_date: ["fin", "end date", "date de fin", "end", "close date", "date fin", "end on", "ends on", "closing date", "cloture"],
    currency: ["devise", "currency", "monnaie"],
    previous_program_id: ["edition precedente", "previous edition", "previous program", "previous programme", "edition anterieure", "previous cohort"],
  },
  topics: {
    topic_id: ["code sujet", "topic code", "topic id", "id sujet", "code theme", "goal code", "goal id", "code objectif", "code"],
    program_id: PROGRAM_ID,
    name: ["sujet", "topic", "intitule", "libelle", "name", "nom", "theme", "goal", "objectif", "title", "titre"],
    category: ["categorie", "category", "famille", "family", "domaine", "area", "type"],
  },
  participants: {
    participant_id: PERSON_ID,
    program_id: PROGRAM_ID,
    org_id: ORG_ID,
    role: ["role", "profil", "profile", "type de participant", "participant type", "statut participant", "as"],
    birth_year: ["date de naissance", "annee de naissance", "date of birth", "birth date", "birthdate", "year of birth", "birth year", "naissance", "dob", "yob", "ne le", "born", "born on"],
    gender: ["genre", "gender", "sexe", "sex", "civilite"],
    job_level: ["niveau", "level", "grade", "seniority", "niveau hierarchique", "job level", "echelon", "band"],
    city: ["ville", "city", "site", "location", "localisation", "town", "lieu de travail", "office"],
    languages: ["langues", "languages", "spoken languages", "langues parlees", "langue", "language"],
    topics: ["sujets", "topics", "themes", "sujets proposes", "sujets souhaites", "interests", "goals", "objectifs", "centres d interet", "expertise"],
    joined_at: ["inscrit le", "joined on", "date d inscription", "registration date", "joined", "registered", "registered on", "signed up", "sign up date", "inscription", "date inscription"],
    trained_at: ["forme le", "trained on", "date de formation", "training date", "trained", "formation", "training", "onboarded on"],
  },
  organizations: {
    org_id: ORG_ID,
    name: ORG_NAME,
    sector: ["secteur", "industry", "sector", "secteur d activite", "activite", "business sector", "branche"],
  },
  pairs: {
    pair_id: PAIR_ID,
    program_id: PROGRAM_ID,
    matched_at: ["date de mise en relation", "matched on", "mise en relation", "matched", "match date", "matching date", "created", "created on", "date de creation", "date d appariement", "appariement", "paired on", "date debut binome"],
    ended_at: ["date de fin", "ended on", "fin", "end date", "closed", "closed on", "date fin", "ended", "date de cloture", "cloture"],
    status: ["statut", "status", "etat", "state", "match status", "statut du binome"],
    end_reason: ["motif de fin", "end reason", "raison", "closure reason", "motif", "reason", "raison de fin", "motif d arret", "reason for ending"],
    match_score: ["score d appariement", "match score", "score", "compatibility", "affinite", "compatibilite", "matching score", "fit"],
    reverse_since: ["mentorat inverse depuis", "reverse mentoring since", "reverse since", "inverse depuis", "mentorat inverse", "reverse mentoring"],
  },
  pair_topics: {
    topic_id: ["sujet nn", "topic nn", "goal nn", "objectif nn", "theme nn"],
    targeted_at: ["choisi le nn", "topic nn chosen on", "sujet nn choisi le", "goal nn set on", "chosen nn", "objectif nn fixe le", "date sujet nn", "goal nn chosen on"],
    acquired_at: ["acquis le nn", "topic nn acquired on", "sujet nn acquis le", "acquis nn", "goal nn achieved", "goal nn achieved on", "objectif nn atteint le", "atteint le nn"],
    rating: ["note nn", "topic nn rating", "sujet nn note", "rating nn", "goal nn rating", "objectif nn note", "note sujet nn", "goal nn score"],
  },
  meetings: {
    meeting_id: ["n rendez vous", "meeting id", "id rendez vous", "session id", "id seance", "n seance", "rendez vous", "meeting", "session", "code", "id"],
    pair_id: PAIR_ID,
    date: ["date", "date du rendez vous", "meeting date", "session date", "date de la seance", "held on", "le"],
    mode: ["format", "mode", "modalite", "channel", "type", "canal", "medium", "lieu"],
    duration_minutes: ["duree min", "duration min", "duree", "duration", "minutes", "duree minutes", "duration minutes", "length min", "length", "mins"],
  },
  evaluations: {
    pair_id: PAIR_ID,
    respondent: ["repondant", "respondent", "role", "qui", "answered by", "from", "auteur", "author", "rempli par", "filled by"],
    phase: ["etape", "stage", "phase", "moment", "survey", "questionnaire", "vague", "wave", "round"],
    submitted_at: ["date de reponse", "answered on", "date", "submitted", "submitted on", "response date", "repondu le", "date reponse", "answer date"],
    satisfaction: ["satisfaction", "note globale", "overall rating", "overall satisfaction", "satisfaction globale", "rating"],
    chemistry: ["entente", "rapport", "chemistry", "relation", "alchimie", "connection", "qualite de la relation", "relationship"],
    would_continue: ["souhaite continuer", "would continue", "continuer", "continue", "wants to continue", "poursuivre", "souhaite poursuivre"],
    comment: ["commentaire", "comment", "remarques", "feedback", "verbatim", "comments", "commentaires", "notes", "remarks"],
  },
  costs: {
    program_id: PROGRAM_ID,
    org_id: ORG_ID,
    date: ["date", "date de la depense", "expense date", "invoice date", "date facture", "spent on", "le"],
    category: ["poste", "item", "categorie", "category", "nature", "type", "type de cout", "cost type", "line item"],
    amount: ["montant", "amount", "cout", "cost", "montant ht", "total", "prix", "price", "value"],
    currency: ["devise", "currency", "monnaie"],
  },
  workforce: {
    program_id: PROGRAM_ID,
    person_id: PERSON_ID,
    org_id: ORG_ID,
    birth_year: ["date de naissance", "annee de naissance", "date of birth", "birth date", "birthdate", "year of birth", "birth year", "naissance", "dob", "yob", "born", "born on"],
    hire_date: ["date d embauche", "hire date", "embauche", "date d entree", "entree", "hired on", "hired", "start of employment", "date anciennete", "seniority date"],
    job_level: ["niveau", "level", "grade", "seniority", "niveau hierarchique", "job level", "echelon", "band"],
    gender: ["genre", "gender", "sexe", "sex", "civilite"],
    left_at: ["date de sortie", "leaving date", "sortie", "left on", "date de depart", "termination date", "exit date", "left"],
    leave_reason: ["motif de sortie", "leaving reason", "motif de depart", "termination reason", "exit reason", "reason for leaving"],
    promoted_at: ["date de promotion", "promotion date", "promu le", "promoted on", "promotion", "promoted"],
    observed_until: ["date d extraction", "extract date", "extraction", "observed until", "as of", "date de l extraction", "snapshot date", "extracted on"],
  },
};

/** Sheet or file names that say which table a source is (`Rendez-vous` → meetings). */
const SHEET_NAMES: Record<string, string[]> = {
  programs: ["programme", "programmes", "program", "programs", "cohort", "cohorts", "cohorte", "cohortes"],
  topics: ["sujets", "topics", "themes", "goals", "objectifs", "catalogue", "catalog", "topic catalogue"],
  pairs: ["binomes", "pairs", "matches", "appariements", "relations", "binome", "pairings"],
  participants: ["sans binome", "unmatched", "participants", "inscrits", "people", "non apparies", "waiting list", "liste d attente", "unpaired"],
  meetings: ["rendez vous", "meetings", "sessions", "seances", "rencontres", "rdv"],
  evaluations: ["evaluations", "feedback", "surveys", "enquetes", "questionnaires", "evaluation", "survey answers"],
  costs: ["couts", "costs", "budget", "depenses", "expenses", "cout", "finances", "spend"],
  workforce: ["effectifs", "workforce", "headcount", "population", "salaries", "employees", "extraction rh", "hr extract", "staff"],
};

/** Spellings of each allowed value (`norm`-ed). */
const VALUE_WORDS: Record<string, Record<string, string[]>> = {
  kind: { intra: ["intra", "intra entreprise", "single company", "internal", "interne", "in house"], inter: ["inter", "inter entreprises", "inter entreprise", "cross company", "multi company", "externe", "multi entreprises", "cross organisation"] },
  role: { mentor: MENTOR_WORDS, mentee: MENTEE_WORDS },
  gender: { F: ["f", "femme", "female", "woman", "madame", "mme", "w"], M: ["m", "h", "homme", "male", "man", "monsieur", "mr"], X: ["x", "autre", "other", "non binaire", "non binary", "nb", "divers"] },
  status: {
    active: ["en cours", "active", "ongoing", "actif", "in progress", "open", "ouvert", "live"],
    completed: ["termine", "completed", "complete", "finished", "acheve", "done", "mene a terme", "graduated"],
    ended_early: ["arrete", "ended early", "abandonne", "interrompu", "stopped", "dropped", "cancelled", "canceled", "rompu", "early end", "discontinued", "withdrawn", "abandoned"],
  },
  category: {
    onboarding: ["integration", "onboarding", "accueil"],
    strategy: ["strategie", "strategy", "strategic"],
    international: ["international", "internationale", "global"],
    difficult_conversations: ["conversations difficiles", "difficult conversations", "conversation difficile", "tough conversations"],
    digital: ["numerique", "digital", "tech"],
    other: ["autre", "other", "divers", "misc"],
  },
  mode: { online: ["visio", "online", "en ligne", "remote", "video", "distanciel", "visioconference", "virtual", "teams", "zoom"], offline: ["presentiel", "in person", "offline", "face to face", "sur site", "on site", "en personne"] },
  phase: { midpoint: ["mi parcours", "midpoint", "intermediate", "mid", "mid term", "intermediaire", "midway"], final: ["finale", "final", "fin", "end", "closing", "bilan"] },
  boolean: { yes: ["oui", "yes", "true", "vrai", "y", "o", "1"], no: ["non", "no", "false", "faux", "n", "0"] },
  cost: {
    subscription: ["abonnement", "subscription", "licence", "license", "licences", "licenses"],
    training: ["formation", "training", "trainings"],
    events: ["evenements", "events", "evenement", "event"],
    platform: ["plateforme", "platform"],
    other: ["autre", "other", "divers", "misc"],
  },
  leave: {
    voluntary: ["voluntary", "volontaire", "demission", "resignation", "resigned", "depart volontaire", "quit"],
    involuntary: ["involuntary", "involontaire", "licenciement", "dismissal", "dismissed", "fin de contrat", "layoff", "rupture"],
    retirement: ["retirement", "retraite", "retired", "depart en retraite"],
    other: ["other", "autre", "divers", "misc"],
  },
};

interface Matched {
  source: Source;
  /** Header index per column. */
  columns: Map<string, number>;
  score: number;
}

/** The synonym a phrase is, exactly (best), or null. */
function matchColumn(phrase: string, table: TableName, taken: Set<string>): string | null {
  const synonyms = SYNONYMS[table] ?? {};
  for (const [column, words] of Object.entries(synonyms)) if (!taken.has(column) && words.includes(phrase)) return column;
  return null;
}

/** Headers of a source matched to a table's columns (roles and wide columns aside). */
function matchTable(source: Source, table: TableName, role: Role | null): Matched {
  const columns = new Map<string, number>();
  const taken = new Set<string>();
  source.headers.forEach((h, i) => {
    const r = roleOf(h);
    if (r.role !== role) return;
    const column = matchColumn(r.rest, table, taken);
    if (column) {
      columns.set(column, i);
      taken.add(column);
    }
  });
  return { source, columns, score: columns.size };
}

const distinct = (source: Source, i: number): Cell[] => {
  const seen = new Map<string, Cell>();
  for (const row of sampleRows(source, 5000)) {
    const c = row[i];
    if (c === null || (typeof c === "string" && c.trim() === "")) continue;
    const key = typeof c === "object" ? c.date : String(c).trim();
    if (!seen.has(key)) seen.set(key, c);
    if (seen.size > 200) break;
  }
  return [...seen.values()];
};

const text = (c: Cell): string => (c === null ? "" : typeof c === "object" ? c.date : String(c).trim());

interface Hints {
  french: boolean;
}

/** The day or month order of a column's text dates, from the values (a part above 12), else the language. */
function dateFormat(values: Cell[], hints: Hints): "DD/MM/YYYY" | "MM/DD/YYYY" | "D.M.YYYY" | null {
  let dayFirst = false;
  let monthFirst = false;
  let dots = false;
  let any = false;
  for (const v of values) {
    if (typeof v !== "string") continue;
    const m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})/.exec(v.trim());
    if (!m) continue;
    any = true;
    if (m[2] === ".") dots = true;
    if (Number(m[1]) > 12) dayFirst = true;
    if (Number(m[3]) > 12) monthFirst = true;
  }
  if (dots) return "D.M.YYYY";
  if (dayFirst && !monthFirst) return "DD/MM/YYYY";
  if (monthFirst && !dayFirst) return "MM/DD/YYYY";
  if (!any) return hints.french ? "DD/MM/YYYY" : "MM/DD/YYYY";
  return hints.french ? "DD/MM/YYYY" : "MM/DD/YYYY";
}

function numberFormat(values: Cell[], hints: Hints): { decimal: "," | "."; thousands: " " | "," | "" } {
  let commaDecimal = false;
  let commaThousands = false;
  let spaces = false;
  for (const v of values) {
    if (typeof v !== "string") continue;
    const t = v.trim();
    if (/[ \u00a0\u202f]\d{3}/.test(t)) spaces = true;
    if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) commaThousands = true;
    else if (/^-?[\d \u00a0\u202f]*,\d+$/.test(t)) commaDecimal = true;
  }
  if (commaThousands && !commaDecimal) return { decimal: ".", thousands: "," };
  if (commaDecimal || spaces) return { decimal: ",", thousands: " " };
  return hints.french ? { decimal: ",", thousands: " " } : { decimal: ".", thousands: "," };
}

function valueMap(kind: string, values: Cell[]): Record<string, string> | null {
  const words = VALUE_WORDS[kind];
  const map: Record<string, string> = {};
  let needed = false;
  for (const v of values) {
    const t = text(v);
    const n = norm(t);
    const target = Object.entries(words).find(([target, spellings]) => target.toLowerCase() === t.toLowerCase() || norm(target) === n || spellings.includes(n))?.[0];
    if (target === undefined) {
      needed = true; // a value no spelling knows: the user completes the map
      continue;
    }
    map[t] = target;
    if (target.toLowerCase() !== t.toLowerCase()) needed = true;
  }
  return needed ? map : null;
}

const VALUE_KIND: Record<string, string> = {
  "programs.kind": "kind",
  "participants.role": "role",
  "participants.gender": "gender",
  "pairs.status": "status",
  "topics.category": "category",
  "meetings.mode": "mode",
  "evaluations.respondent": "role",
  "evaluations.phase": "phase",
  "evaluations.would_continue": "boolean",
  "costs.category": "cost",
  "workforce.gender": "gender",
  "workforce.leave_reason": "leave",
};

/** The rule of one column: the header, with the derivations its values ask for. */
function ruleFor(table: TableName, column: string, source: Source, index: number, hints: Hints, header = source.headers[index]): RuleInput {
  const spec = tableSpec(table).columns.find((c) => c.name === column)!;
  const values = distinct(source, index);
  const kind = VALUE_KIND[`${table}.${column}`];
  if (kind) {
    const map = valueMap(kind, values);
    return map ? { from: header, values: map } : header;
  }
  if (column === "birth_year") {
    const dates = values.some((v) => (v !== null && typeof v === "object") || (typeof v === "string" && /\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{2}-\d{2}/.test(v)));
    const format = dateFormat(values, hints);
    return dates ? { from: header, date: format ?? "DD/MM/YYYY", year: true } : header;
  }
  if (spec.kind === "date") return { from: header, date: dateFormat(values, hints) ?? "DD/MM/YYYY" };
  if (spec.kind === "decimal") {
    const textual = values.some((v) => typeof v === "string");
    return textual || source.sheet === null ? { from: header, number: numberFormat(values, hints) } : { from: header, number: numberFormat(values, hints) };
  }
  if (spec.kind === "list") {
    const strings = values.filter((v): v is string => typeof v === "string");
    const sep = ["|", ";", ",", "/"].find((s) => strings.some((v) => v.includes(s)));
    return sep && sep !== "|" ? { from: header, split: sep } : header;
  }
  return header;
}

/** People known only by name: the name columns of a role (or of no role). */
function nameColumns(source: Source, role: Role | null): string[] | null {
  const first = source.headers.find((h) => roleOf(h).role === role && FIRST_NAME.includes(roleOf(h).rest));
  const last = source.headers.find((h) => roleOf(h).role === role && LAST_NAME.includes(roleOf(h).rest));
  if (first && last) return [first, last];
  const full = source.headers.find((h) => roleOf(h).role === role && FULL_NAME.includes(roleOf(h).rest));
  return full ? [full] : null;
}

function tableScore(source: Source, table: string): number {
  const name = norm(source.sheet ?? source.file.name.replace(/\.[^.]*$/, ""));
  return (SHEET_NAMES[table] ?? []).includes(name) ? 3 : 0;
}

/** A first mapping for the sources. */
export function suggestMapping(sources: Source[], name = "suggested"): MappingInput {
  const allHeaders = sources.flatMap((s) => [s.sheet ?? s.file.name, ...s.headers]).map(norm).join(" ");
  const frenchWords = (allHeaders.match(/\b(de|du|le|la|des|date de|binome|entite|sujet|programme|naissance|inscrit|montant|devise|genre|ville|niveau|statut|motif)\b/g) ?? []).length;
  const englishWords = (allHeaders.match(/\b(of|on|the|pair|company|topic|program|birth|joined|amount|currency|gender|city|level|status|reason|id)\b/g) ?? []).length;
  const hints: Hints = { french: frenchWords >= englishWords };

  const tables: Partial<Record<TableName, PartInput[]>> = {};
  const add = (table: TableName, part: PartInput) => (tables[table] ??= []).push(part);
  const label = (s: Source) => s.sheet ?? s.file.name.replace(/\.[^.]*$/, "");

  // A flat one-row-per-pair sheet: headers for both roles.
  const flat = sources
    .map((s) => ({ s, mentor: matchTable(s, "participants", "mentor").score, mentee: matchTable(s, "participants", "mentee").score }))
    .filter((x) => x.mentor >= 2 && x.mentee >= 2)
    .sort((a, b) => b.mentor + b.mentee - (a.mentor + a.mentee))[0]?.s;

  const rest = sources.filter((s) => s !== flat);
  const programsSource = rest
    .map((s) => ({ s, score: matchTable(s, "programs", null).score + tableScore(s, "programs") }))
    .filter((x) => x.score >= 3)
    .sort((a, b) => b.score - a.score)[0]?.s;
  const programRows = programsSource ? sampleRows(programsSource, 2) : [];
  const onlyProgram = programsSource && programRows.length === 1 ? (() => {
    const at = matchTable(programsSource, "programs", null).columns.get("program_id");
    return at === undefined ? null : text(programRows[0][at]);
  })() : null;

  const personPart = (source: Source, role: Role | null, roleRule: RuleInput | null, programHeader: string | undefined) => {
    const m = matchTable(source, "participants", role);
    const columns: Record<string, RuleInput> = {};
    for (const column of tableSpec("participants").columns.map((c) => c.name)) {
      if (column === "role") {
        if (roleRule) columns.role = roleRule;
        continue;
      }
      if (column === "program_id") {
        const own = m.columns.get("program_id");
        if (own !== undefined) columns.program_id = source.headers[own];
        else if (programHeader) columns.program_id = programHeader;
        else if (onlyProgram) columns.program_id = { const: onlyProgram };
        continue;
      }
      const at = m.columns.get(column);
      if (at !== undefined) columns[column] = ruleFor("participants", column, source, at, hints);
      else if (column === "participant_id") {
        const names = nameColumns(source, role);
        if (names) columns.participant_id = { pseudonym: names };
      }
    }
    return { part: { source: label(source), columns }, m };
  };
  const orgPart = (source: Source, role: Role | null): PartInput | null => {
    const m = matchTable(source, "organizations", role);
    if (!m.columns.has("org_id")) return null;
    const columns: Record<string, RuleInput> = {};
    for (const [column, at] of m.columns) columns[column] = source.headers[at];
    if (!columns.name) columns.name = columns.org_id;
    return { source: label(source), columns };
  };

  let unmatched: Source | undefined;
  if (flat) {
    const pairs = matchTable(flat, "pairs", null);
    const programHeader = pairs.columns.has("program_id") ? flat.headers[pairs.columns.get("program_id")!] : undefined;
    const mentor = personPart(flat, "mentor", { const: "mentor" }, programHeader);
    const mentee = personPart(flat, "mentee", { const: "mentee" }, programHeader);
    for (const role of ["mentor", "mentee"] as const) {
      const o = orgPart(flat, role);
      if (o) add("organizations", o);
    }
    unmatched = rest
      .map((s) => ({ s, score: matchTable(s, "participants", null).score + tableScore(s, "participants") }))
      .filter((x) => x.score >= 4 && x.s !== programsSource)
      .sort((a, b) => b.score - a.score)[0]?.s;
    if (unmatched) {
      const o = orgPart(unmatched, null);
      if (o) add("organizations", o);
    }
    add("participants", mentor.part);
    add("participants", mentee.part);
    if (unmatched) {
      const m = matchTable(unmatched, "participants", null);
      const roleAt = m.columns.get("role");
      add("participants", personPart(unmatched, null, roleAt === undefined ? null : ruleFor("participants", "role", unmatched, roleAt, hints), undefined).part);
    }
    const pairColumns: Record<string, RuleInput> = {};
    for (const column of tableSpec("pairs").columns.map((c) => c.name)) {
      if (column === "mentor_id" || column === "mentee_id") {
        const person = (column === "mentor_id" ? mentor : mentee).part.columns.participant_id;
        if (person) pairColumns[column] = person;
        continue;
      }
      if (column === "program_id" && !pairs.columns.has("program_id")) {
        if (onlyProgram) pairColumns.program_id = { const: onlyProgram };
        continue;
      }
      const at = pairs.columns.get(column);
      if (at !== undefined) pairColumns[column] = ruleFor("pairs", column, flat, at, hints);
    }
    add("pairs", { source: label(flat), columns: pairColumns });
    const wide = wideTopics(flat, hints, pairColumns.pair_id);
    if (wide) add("pair_topics", wide);
  }

  // The other sheets, one table each: the table whose columns their headers match best.
  for (const source of rest) {
    if (source === unmatched) continue;
    const candidates: TableName[] = source === programsSource ? ["programs"] : ["topics", "meetings", "evaluations", "costs", "workforce", ...(flat ? [] : (["participants", "pairs", "organizations", "pair_topics"] as TableName[]))];
    const best = candidates
      .map((t) => ({ t, m: matchTable(source, t, null) }))
      .map((x) => ({ ...x, score: x.m.score + tableScore(source, x.t) }))
      .sort((a, b) => b.score - a.score)[0];
    if (!best || best.m.score < 2) continue;
    const columns: Record<string, RuleInput> = {};
    for (const [column, at] of best.m.columns) columns[column] = ruleFor(best.t, column, source, at, hints);
    if (best.t === "topics" && !columns.program_id && onlyProgram) columns.program_id = { const: onlyProgram };
    if (best.t === "costs" && !columns.program_id && onlyProgram) columns.program_id = { const: onlyProgram };
    add(best.t, { source: label(source), columns });
  }

  const ordered: MappingInput["tables"] = {};
  for (const table of TABLES) {
    const parts = tables[table];
    if (parts) (ordered as Record<string, PartInput | PartInput[]>)[table] = parts.length === 1 ? parts[0] : parts;
  }
  return { binome_mapping: 1, name, tables: ordered };
}

/** Wide topic columns (`Sujet 1`, `Acquis le 1`, … `Sujet 5`): one pair-topics part repeated over the numbers. */
function wideTopics(source: Source, hints: Hints, pairId: RuleInput | undefined): PartInput | null {
  if (!pairId) return null;
  const templates = new Map<string, { header: string; numbers: Set<string> }>();
  for (const h of source.headers) {
    const m = /^(.*?)(\d{1,2})(.*)$/.exec(h);
    if (!m) continue;
    const phrase = norm(`${m[1]} nn ${m[3]}`);
    const template = `${m[1]}{n}${m[3]}`;
    const entry = templates.get(phrase) ?? { header: template, numbers: new Set() };
    entry.numbers.add(m[2]);
    templates.set(phrase, entry);
  }
  const columns: Record<string, RuleInput> = { pair_id: pairId };
  let numbers: string[] = [];
  for (const [column, words] of Object.entries(SYNONYMS.pair_topics!)) {
    const found = [...templates.entries()].find(([phrase]) => words.includes(phrase));
    if (!found) continue;
    const [, { header, numbers: ns }] = found;
    if (column === "topic_id") numbers = [...ns].sort((a, b) => Number(a) - Number(b));
    const first = source.headers.indexOf(header.replace("{n}", [...ns][0]));
    columns[column] = first === -1 ? header : (() => {
      const rule = ruleFor("pair_topics", column, source, first, hints, header);
      return rule;
    })();
  }
  if (!columns.topic_id || numbers.length === 0) return null;
  return { source: source.sheet ?? source.file.name.replace(/\.[^.]*$/, ""), repeat: numbers, skip_if_empty: ["topic_id"], columns };
}
