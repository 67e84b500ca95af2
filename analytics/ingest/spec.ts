/**
 * The open export format as data: every file, every column, its kind, whether it is required
 * and which values it allows. `docs/export-format.md` describes the same thing for people; the
 * staging, typing and per-column checks are generated from this module (see
 * docs/decisions/0002-ingestion-validates-in-duckdb.md), so identifiers and literals that reach
 * SQL text come only from the constants below, never from an input file.
 */
import { ORG_ID_PATTERN, ORG_ID_RULE } from "../domain/identifiers.ts";
import type { SqlColumn, SqlColumnKind } from "../db/generated-sql.server.ts";

export const TABLES = [
  "programs",
  "organizations",
  "participants",
  "topics",
  "pairs",
  "meetings",
  "pair_topics",
  "evaluations",
  "costs",
  "workforce",
] as const;
export type TableName = (typeof TABLES)[number];

export const FORMATS = ["csv", "parquet", "json", "ndjson"] as const;
export type FileFormat = (typeof FORMATS)[number];

/** How a column is read and typed: the kinds the staging SQL knows (analytics/db/generated-sql.server.ts). */
export type ColumnKind = SqlColumnKind;

/** A column of the export format: what the staging SQL reads of it, and its documentation. */
export interface ColumnSpec extends SqlColumn {
  readonly example: string;
  readonly doc: string;
}

export interface TableSpec {
  readonly name: TableName;
  readonly required: boolean;
  readonly columns: readonly ColumnSpec[];
  /** Key columns that must be unique in the export (checked in generic SQL). */
  readonly uniqueKey?: readonly string[];
  readonly doc: string;
}

const id = (name: string, doc: string, example: string, required = true): ColumnSpec => ({
  name,
  kind: "id",
  required,
  example,
  doc,
});
/** An organization identifier: the rule of analytics/domain/identifiers.ts (no `*`, blank, space or control character). */
const orgId = (name: string, doc: string, example: string, required = true): ColumnSpec => ({
  ...id(name, doc, example, required),
  pattern: { regex: ORG_ID_PATTERN, message: `not an organization identifier (${ORG_ID_RULE})` },
});
const date = (name: string, doc: string, example: string, required = true): ColumnSpec => ({
  name,
  kind: "date",
  required,
  example,
  doc,
});
const score = (name: string, doc: string, example: string, required = true): ColumnSpec => ({
  name,
  kind: "integer",
  required,
  min: 1,
  max: 5,
  example,
  doc,
});

export const SPEC: readonly TableSpec[] = [
  {
    name: "programs",
    required: true,
    uniqueKey: ["program_id"],
    doc: "One row per program in the export.",
    columns: [
      id("program_id", "Identifier of the program.", "octave-2025"),
      { name: "name", kind: "text", required: true, example: "OCTAVE 2025", doc: "Display name." },
      { name: "kind", kind: "choice", required: true, choices: ["intra", "inter"], example: "inter", doc: "`intra`: one company; `inter`: inter-company." },
      date("start_date", "First day of the program.", "01/02/2025"),
      date("end_date", "Last day of the program (not before start_date).", "30/09/2025"),
      { name: "currency", kind: "currency", required: false, defaultValue: "EUR", example: "EUR", doc: "ISO 4217 code of every amount of the program; EUR when absent." },
      id(
        "previous_program_id",
        "The previous edition of the same program (another program_id, of this export or already imported, that starts earlier); empty for a first edition. Lets the simulations validate the outcome model out of time.",
        "octave-2024",
        false,
      ),
    ],
  },
  {
    name: "organizations",
    required: true,
    uniqueKey: undefined, // an org_id may repeat with the same name: checked in sql/ingest/checks
    doc: "One row per organization (company). Shared by every program of the database.",
    columns: [
      orgId("org_id", "Identifier of the organization; keeps the same name across imports.", "ORG-DANA"),
      { name: "name", kind: "text", required: true, example: "Dana Foods", doc: "Company name (stored: it is not personal data)." },
      { name: "sector", kind: "text", required: false, example: "Agroalimentaire", doc: "Business sector." },
    ],
  },
  {
    name: "participants",
    required: true,
    uniqueKey: ["program_id", "participant_id"],
    doc: "One row per participant (mentor or mentee) of a program.",
    columns: [
      id("participant_id", "Identifier, unique within its program.", "P001"),
      id("program_id", "The program (a program_id of programs).", "octave-2025"),
      orgId("org_id", "Employer (an org_id of organizations, in the export or already stored).", "ORG-DANA"),
      { name: "role", kind: "choice", required: true, choices: ["mentor", "mentee"], example: "mentor", doc: "`mentor` or `mentee`." },
      { name: "birth_year", kind: "integer", required: true, min: 1930, max: 2010, example: "1968", doc: "Year of birth, 1930–2010." },
      { name: "gender", kind: "choice", required: false, choices: ["F", "M", "X"], aliases: { h: "M" }, example: "F", doc: "`F`, `M` (or `H`) or `X`." },
      { name: "job_level", kind: "integer", required: false, min: 1, max: 5, example: "4", doc: "Seniority level 1–5." },
      { name: "city", kind: "text", required: false, example: "Lyon", doc: "City of work." },
      { name: "languages", kind: "list", required: false, example: "fr|en", doc: "Spoken languages, `|`-separated." },
      { name: "topics", kind: "list", required: false, example: "T1|T3", doc: "`|`-separated topic_ids of the program: offered by a mentor, sought by a mentee." },
      date("joined_at", "Day the participant joined the program.", "2025-01-15"),
      date("trained_at", "Day of the participant's training session.", "2025-01-28", false),
    ],
  },
  {
    name: "topics",
    required: false,
    uniqueKey: ["program_id", "topic_id"],
    doc: "One row per topic a program offers.",
    columns: [
      id("topic_id", "Identifier, unique within its program.", "T1"),
      id("program_id", "The program.", "octave-2025"),
      { name: "name", kind: "text", required: true, example: "Qui sont les personnes clés ?", doc: "Display name." },
      {
        name: "category",
        kind: "choice",
        required: true,
        choices: ["onboarding", "strategy", "international", "difficult_conversations", "digital", "other"],
        example: "onboarding",
        doc: "One of the listed categories.",
      },
    ],
  },
  {
    name: "pairs",
    required: true,
    uniqueKey: ["pair_id"],
    doc: "One row per pair (binôme). pair_id is unique in the whole export.",
    columns: [
      id("pair_id", "Identifier, unique within the export.", "B01"),
      id("program_id", "The program.", "octave-2025"),
      id("mentor_id", "A participant of the same program with role mentor.", "P001"),
      id("mentee_id", "A participant of the same program with role mentee.", "P002"),
      date("matched_at", "Day the pair was formed.", "03/02/2025"),
      date("ended_at", "Day the pair ended (not before matched_at; none while active).", "", false),
      { name: "status", kind: "choice", required: true, choices: ["active", "completed", "ended_early"], example: "active", doc: "`active`, `completed` or `ended_early`." },
      { name: "end_reason", kind: "text", required: false, example: "", doc: "Why the pair ended, free text." },
      { name: "match_score", kind: "decimal", required: false, min: 0, max: 1, example: "0,82", doc: "Score of the matching algorithm, 0–1." },
      date("reverse_since", "Day the pair switched to reverse mentoring (not before matched_at).", "", false),
    ],
  },
  {
    name: "meetings",
    required: false,
    uniqueKey: undefined, // meeting_id is unique per program: checked in sql/ingest/checks
    doc: "One row per meeting of a pair.",
    columns: [
      id("meeting_id", "Identifier, unique within the program.", "M0001"),
      id("pair_id", "A pair_id of pairs.", "B01"),
      date("date", "Day of the meeting (not before the pair's matched_at).", "12/02/2025 18:30"),
      { name: "mode", kind: "choice", required: true, choices: ["online", "offline"], example: "offline", doc: "`online` or `offline`." },
      { name: "duration_minutes", kind: "integer", required: true, min: 1, max: 1440, example: "60", doc: "Length in minutes, 1–1440." },
    ],
  },
  {
    name: "pair_topics",
    required: false,
    uniqueKey: ["pair_id", "topic_id"],
    doc: "One row per topic a pair works on.",
    columns: [
      id("pair_id", "A pair_id of pairs.", "B01"),
      id("topic_id", "A topic_id of the pair's program.", "T1"),
      date("targeted_at", "Day the topic was chosen.", "03/02/2025", false),
      date("acquired_at", "Day the mentee marked the topic acquired (not before matched_at).", "15/04/2025", false),
      { name: "rating", kind: "integer", required: false, min: 1, max: 5, example: "4", doc: "Mentee's rating 1–5." },
    ],
  },
  {
    name: "evaluations",
    required: false,
    uniqueKey: ["pair_id", "respondent", "phase"],
    doc: "One row per evaluation answer (one respondent, one phase) of a pair.",
    columns: [
      id("pair_id", "A pair_id of pairs.", "B01"),
      { name: "respondent", kind: "choice", required: true, choices: ["mentor", "mentee"], example: "mentee", doc: "`mentor` or `mentee`." },
      { name: "phase", kind: "choice", required: true, choices: ["midpoint", "final"], example: "midpoint", doc: "`midpoint` or `final`." },
      date("submitted_at", "Day of the answer.", "2025-06-02"),
      score("satisfaction", "Satisfaction 1–5.", "4"),
      score("chemistry", "How well the pair gets on, 1–5.", "5"),
      { name: "would_continue", kind: "boolean", required: true, example: "oui", doc: "`yes`/`no` (`oui`/`non`, `true`/`false`)." },
      { name: "comment", kind: "text", required: false, example: "Très bon échange", doc: "Free text." },
    ],
  },
  {
    name: "costs",
    required: false,
    doc: "One row per cost line of a program.",
    columns: [
      id("program_id", "The program.", "octave-2025"),
      orgId("org_id", "The paying organization.", "ORG-DANA", false),
      date("date", "Day of the cost.", "01/02/2025"),
      {
        name: "category",
        kind: "choice",
        required: true,
        choices: ["subscription", "training", "events", "platform", "other"],
        example: "subscription",
        doc: "One of the listed categories.",
      },
      { name: "amount", kind: "decimal", required: true, example: "12 500,00", doc: "Amount, 2 decimals kept." },
      { name: "currency", kind: "currency", required: true, example: "EUR", doc: "Must equal the program's currency." },
    ],
  },
  {
    name: "workforce",
    required: false,
    uniqueKey: ["program_id", "person_id"],
    doc: "One row per employee of a participating organization employed on the program's start date, participants and non-participants alike (the HR extract of the eligible population). Optional: without it the impact figures say `no_workforce`.",
    columns: [
      id("program_id", "The program this population is compared for (a program_id of programs).", "octave-2025"),
      id("person_id", "Pseudonymous identifier of the employee; for a participant, equal to its participant_id (never a name or an e-mail).", "P001"),
      orgId("org_id", "Employer (an org_id of organizations, in the export or already stored).", "ORG-DANA"),
      { name: "birth_year", kind: "integer", required: true, min: 1930, max: 2010, example: "1968", doc: "Year of birth, 1930–2010." },
      date("hire_date", "Day the employee was hired (not after the program's start_date).", "2012-09-01"),
      { name: "job_level", kind: "integer", required: false, min: 1, max: 5, example: "3", doc: "Seniority level 1–5." },
      { name: "gender", kind: "choice", required: false, choices: ["F", "M", "X"], aliases: { h: "M" }, example: "F", doc: "`F`, `M` (or `H`) or `X`." },
      date("left_at", "Day the employee left (not before the program's start, not after observed_until); empty = still employed on observed_until.", "", false),
      {
        name: "leave_reason",
        kind: "choice",
        required: false,
        choices: ["voluntary", "involuntary", "retirement", "other"],
        example: "",
        doc: "`voluntary`, `involuntary`, `retirement` or `other`; required when left_at is given, empty otherwise.",
      },
      date("promoted_at", "First promotion on or after the program's start (not after left_at or observed_until); empty = none.", "", false),
      date("observed_until", "The day the extract was taken (not before the program's start_date).", "2026-02-01"),
    ],
  },
];

export const SPEC_BY_TABLE: ReadonlyMap<TableName, TableSpec> = new Map(SPEC.map((t) => [t.name, t]));

export function tableSpec(name: TableName): TableSpec {
  const spec = SPEC_BY_TABLE.get(name);
  if (!spec) throw new Error(`no spec for table ${name}`);
  return spec;
}

/** Tables whose rows carry program_id in the export; the others get it from their pair. */
export const PAIR_SCOPED: ReadonlySet<TableName> = new Set(["meetings", "pair_topics", "evaluations"]);

/** Tables replaced per program on re-import (everything but the shared organizations). */
export const PROGRAM_TABLES: readonly TableName[] = TABLES.filter((t) => t !== "organizations");

/** Tables that a re-import may not empty without `allowEmptying` (programs itself cannot be). */
export const EMPTYABLE_TABLES: readonly TableName[] = PROGRAM_TABLES.filter((t) => t !== "programs");

/**
 * Unknown columns whose name suggests personal data: never stored, and the warning says so.
 * (Unknown columns are never stored anyway; the warning tells the exporter why.)
 */
export const PERSONAL_COLUMN = /(^|_|\b)(first_?name|last_?name|full_?name|surname|given_?name|nom|pr[ée]nom|nom_?de_?famille|e-?mail|mail|courriel|name)($|_|\b)/i;

/** Accepted spellings of a boolean (trimmed, case-insensitive). */
export const TRUE_WORDS: readonly string[] = ["yes", "oui", "true"];
export const FALSE_WORDS: readonly string[] = ["no", "non", "false"];
