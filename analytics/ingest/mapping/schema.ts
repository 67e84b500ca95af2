/**
 * The mapping file (issue #17): how a layout that is not Binôme's export format — a platform's
 * flat one-row-per-pair sheet, an HR extract with its own column names and values, an Excel
 * workbook — becomes the export's tables. JSON, validated here with zod; documented in
 * docs/export-format.md ("Bring your own layout").
 *
 * For each table of the format, one or more *parts*: a source (a file or a sheet), and for each
 * target column a rule — a source column, a constant, or a derivation (a value map, a date or a
 * number format, the year of a date, a list separator, a keyed pseudonym of name columns). A
 * part may be repeated over wide columns (`Sujet 1…5`) with `{n}` in its column names. Pure: no
 * file, no database.
 */
import { z } from "zod";
import { TABLES, tableSpec, type TableName } from "../spec.ts";

export const MAPPING_VERSION = 1;

/** Source date formats: day, month and year tokens in some order, with any one separator. */
export const DATE_FORMAT = /^(DD|D|MM|M|YYYY|YY)([./ -])(DD|D|MM|M|YYYY|YY)\2(DD|D|MM|M|YYYY|YY)$|^YYYYMMDD$|^DDMMYYYY$/;

const ruleObject = z
  .object({
    /** A source column (its header, matched trimmed and case-insensitively). */
    from: z.string().min(1).optional(),
    /** A constant for every row. */
    const: z.string().optional(),
    /** Name columns turned into a keyed pseudonymous id (HMAC with the installation's secret); the names are never stored. */
    pseudonym: z.array(z.string().min(1)).min(1).optional(),
    /** The value when the source cell is empty. */
    default: z.string().optional(),
    /** A value map: source value (trimmed, case-insensitive) → value of the format; a value it does not cover is an error. */
    values: z.record(z.string(), z.string()).optional(),
    /** The source's date format (`DD/MM/YYYY`, `MM/DD/YYYY`, `D.M.YYYY`, `YYYYMMDD`…); ISO dates and Excel dates are always read. */
    date: z.string().regex(DATE_FORMAT, "a date format such as DD/MM/YYYY, MM/DD/YYYY, YYYY-MM-DD or YYYYMMDD").optional(),
    /** Keep only the year of a date (a birth date → birth_year). */
    year: z.literal(true).optional(),
    /** The source's number format: its decimal mark and its thousands separator ("" for none). */
    number: z
      .object({ decimal: z.enum([".", ","]), thousands: z.enum(["", " ", ".", ",", "'"]).default("") })
      .strict()
      .refine((n) => n.decimal !== n.thousands, "the decimal mark and the thousands separator must differ")
      .optional(),
    /** A list column's separator in the source (`,` or `;`…): the list is written `|`-separated. */
    split: z.string().min(1).optional(),
  })
  .strict()
  .refine((r) => [r.from, r.const, r.pseudonym].filter((x) => x !== undefined).length === 1, "give exactly one of from, const or pseudonym");

/** A target column's rule; a bare string is a source column. */
export const ruleSchema = z.union([z.string().min(1), ruleObject]);
export type RuleInput = z.infer<typeof ruleSchema>;
export type Rule = z.infer<typeof ruleObject>;

const partSchema = z
  .object({
    /** A file (`binomes.csv`, with or without its extension) or a sheet of a workbook (`Binômes`). */
    source: z.string().min(1),
    /** Repeat the part over wide columns: `{n}` in a column name takes each value in turn. */
    repeat: z.array(z.union([z.string(), z.number()]).transform(String)).min(1).optional(),
    /** Skip a row (or one repetition) when these target columns are all empty (e.g. an unused `Sujet 4`). */
    skip_if_empty: z.array(z.string().min(1)).optional(),
    /** The part applies only when its source is there (an optional file, such as the workforce extract); otherwise a missing source is an error. */
    optional: z.boolean().optional(),
    columns: z.record(z.string(), ruleSchema),
  })
  .strict();
export type PartInput = z.infer<typeof partSchema>;

const tableNames = TABLES as unknown as [TableName, ...TableName[]];

export const mappingSchema = z
  .object({
    binome_mapping: z.literal(MAPPING_VERSION),
    name: z.string().min(1).optional(),
    description: z.string().optional(),
    tables: z.partialRecord(z.enum(tableNames), z.union([partSchema, z.array(partSchema).min(1)])),
  })
  .strict()
  .superRefine((m, ctx) => {
    for (const [table, parts] of Object.entries(m.tables) as [TableName, PartInput | PartInput[]][]) {
      const spec = tableSpec(table);
      const known = new Set(spec.columns.map((c) => c.name));
      for (const [i, part] of (Array.isArray(parts) ? parts : [parts]).entries()) {
        const path = Array.isArray(parts) ? ["tables", table, i] : ["tables", table];
        for (const column of Object.keys(part.columns)) {
          if (!known.has(column)) ctx.addIssue({ code: "custom", path: [...path, "columns", column], message: `not a column of ${table} (${[...known].join(", ")})` });
        }
        for (const column of spec.columns) {
          if (column.required && column.defaultValue === undefined && !(column.name in part.columns)) {
            ctx.addIssue({ code: "custom", path: [...path, "columns"], message: `no rule for the required column ${column.name}` });
          }
        }
        for (const column of part.skip_if_empty ?? []) {
          if (!(column in part.columns)) ctx.addIssue({ code: "custom", path: [...path, "skip_if_empty"], message: `${column} is not a column of this part` });
        }
        const usesN = JSON.stringify(part.columns).includes("{n}");
        if (part.repeat && !usesN) ctx.addIssue({ code: "custom", path: [...path, "repeat"], message: "repeat needs {n} in a column name" });
        if (!part.repeat && usesN) ctx.addIssue({ code: "custom", path: [...path, "columns"], message: "{n} in a column name needs repeat" });
      }
    }
    for (const table of TABLES) {
      if (tableSpec(table).required && !(table in m.tables)) ctx.addIssue({ code: "custom", path: ["tables"], message: `no part for the required table ${table}` });
    }
  });
export type MappingInput = z.input<typeof mappingSchema>;

/** A target column's rule after parsing (a bare string is `{ from }`). */
export interface ColumnRule extends Rule {}

export interface MappingPart {
  table: TableName;
  /** Where the part is in the mapping file, for its problems: `tables.participants[1]`. */
  path: string;
  source: string;
  repeat: string[] | null;
  skipIfEmpty: string[];
  /** Skipped, without a problem, when no file or sheet is named `source`. */
  optional: boolean;
  columns: [target: string, rule: ColumnRule][];
}

export interface Mapping {
  name: string;
  description: string | null;
  parts: MappingPart[];
}

export type MappingParse = { ok: true; mapping: Mapping } | { ok: false; problems: string[] };

/** Validates a mapping (already parsed JSON): the mapping, or one line per issue (`path: message`). */
export function parseMapping(input: unknown, fallbackName = "mapping"): MappingParse {
  const parsed = mappingSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`) };
  }
  const m = parsed.data;
  const parts: MappingPart[] = [];
  for (const table of TABLES) {
    const given = m.tables[table];
    if (!given) continue;
    const list = Array.isArray(given) ? given : [given];
    list.forEach((p, i) =>
      parts.push({
        table,
        path: Array.isArray(given) ? `tables.${table}[${i}]` : `tables.${table}`,
        source: p.source,
        repeat: p.repeat ?? null,
        skipIfEmpty: p.skip_if_empty ?? [],
        optional: p.optional ?? false,
        columns: Object.entries(p.columns).map(([target, rule]) => [target, typeof rule === "string" ? { from: rule } : rule]),
      }),
    );
  }
  return { ok: true, mapping: { name: m.name ?? fallbackName, description: m.description ?? null, parts } };
}

/** The source columns a rule reads (its `from` or its pseudonym's name columns), with `{n}` replaced. */
export function ruleSources(rule: ColumnRule, n: string | null): string[] {
  const names = rule.from !== undefined ? [rule.from] : rule.pseudonym ?? [];
  return n === null ? names : names.map((s) => s.replaceAll("{n}", n));
}
