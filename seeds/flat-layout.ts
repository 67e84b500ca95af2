/**
 * A demo export rewritten in a "one row per pair" layout (issue #17): the French or English
 * preset's sheets (analytics/ingest/mapping/presets.ts), as an Excel workbook (dates as Excel
 * dates, numbers as numbers) or as one CSV file per sheet (dates and numbers spelt the layout's
 * way). Read back through the preset, it gives the same data as the native export.
 * Deterministic: the same folder gives the same bytes.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as XLSX from "@e965/xlsx";
import iconv from "iconv-lite";
import { csvDelimiter, decodeText, parseCsv } from "../analytics/ingest/mapping/csv.ts";
import { FLAT_EN, FLAT_FR, WIDE_TOPICS, type FlatVocabulary } from "../analytics/ingest/mapping/presets.ts";

export const LAYOUTS: Record<string, FlatVocabulary> = { "flat-fr": FLAT_FR, "flat-en": FLAT_EN };
export type LayoutFormat = "xlsx" | "csv";

type Row = Record<string, string>;

/** A native export file as records keyed by column (empty values are ""). */
function readTable(dir: string, table: string): Row[] {
  const name = readdirSync(dir).find((f) => f === `${table}.csv`);
  if (!name) return [];
  const decoded = decodeText(readFileSync(join(dir, name)))!;
  const rows: Row[] = [];
  let header: string[] | null = null;
  parseCsv(decoded.text, csvDelimiter(decoded.text), (fields) => {
    if (!header) header = fields.map((f) => f.trim().toLowerCase());
    else rows.push(Object.fromEntries(header.map((h, i) => [h, (fields[i] ?? "").trim()])));
  });
  return rows;
}

/** A cell of the layout: text, a number, or a date (ISO), written the format's way. */
type Out = string | number | { date: string } | null;

/** ISO from the export's ISO or day-first date (a time part dropped). */
function iso(text: string): string | null {
  if (text === "") return null;
  const d = text.split(/[ T]/)[0];
  const fr = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(d);
  return fr ? `${fr[3]}-${fr[2]}-${fr[1]}` : d;
}
const num = (text: string): number | null => (text === "" ? null : Number(text.replace(/[ \u00a0\u202f]/g, "").replace(",", ".")));
const date = (text: string): Out => {
  const d = iso(text);
  return d === null ? null : { date: d };
};
const list = (text: string, v: FlatVocabulary) => (text === "" ? null : text.split("|").join(v.listSeparator === ";" ? "; " : `${v.listSeparator} `));
const pick = (values: Record<string, string>, text: string): string | null => {
  if (text === "") return null;
  const key = Object.keys(values).find((k) => k.toLowerCase() === text.toLowerCase());
  if (!key) throw new Error(`no word for ${JSON.stringify(text)}`);
  return values[key];
};

interface Sheet {
  name: string;
  header: string[];
  rows: Out[][];
}

/** The layout's sheets from a native export folder. */
export function flatSheets(dir: string, v: FlatVocabulary): Sheet[] {
  const programs = readTable(dir, "programs");
  const orgs = new Map(readTable(dir, "organizations").map((o) => [o.org_id, o]));
  const people = new Map(readTable(dir, "participants").map((p) => [p.participant_id, p]));
  const topics = readTable(dir, "topics");
  const pairs = readTable(dir, "pairs");
  const topicsOf = new Map<string, Row[]>();
  for (const t of readTable(dir, "pair_topics")) topicsOf.set(t.pair_id, [...(topicsOf.get(t.pair_id) ?? []), t]);
  const gender = (g: string) => pick(v.values.gender, g === "H" ? "M" : g);
  const P = v.person;
  const personHeaders = (h: (x: string) => string) => [P.id, P.email, P.orgId, P.org, P.sector, P.birth, P.gender, P.level, P.city, P.languages, P.topics, P.joined, P.trained].map(h);
  const personCells = (p: Row): Out[] => {
    const o = orgs.get(p.org_id);
    return [
      p.participant_id,
      `${p.participant_id.toLowerCase()}@${p.org_id.toLowerCase()}.example`,
      p.org_id,
      o?.name ?? null,
      o?.sector || null,
      { date: `${p.birth_year}-07-01` },
      gender(p.gender),
      num(p.job_level),
      p.city || null,
      list(p.languages, v),
      list(p.topics, v),
      date(p.joined_at),
      date(p.trained_at),
    ];
  };
  const asMentor = (x: string) => v.personHeader(x, v.roleWords.mentor);
  const asMentee = (x: string) => v.personHeader(x, v.roleWords.mentee);
  const wideHeader: string[] = [];
  for (let n = 1; n <= WIDE_TOPICS; n++) for (const h of [v.wide.topic, v.wide.chosen, v.wide.acquired, v.wide.rating]) wideHeader.push(h.replace("{n}", String(n)));
  const matched = new Set<string>();
  const pairRows = pairs.map((b) => {
    matched.add(b.mentor_id);
    matched.add(b.mentee_id);
    const wide: Out[] = [];
    const mine = topicsOf.get(b.pair_id) ?? [];
    if (mine.length > WIDE_TOPICS) throw new Error(`pair ${b.pair_id} has more than ${WIDE_TOPICS} topics`);
    for (let n = 0; n < WIDE_TOPICS; n++) {
      const t = mine[n];
      wide.push(t ? t.topic_id : null, t ? date(t.targeted_at) : null, t ? date(t.acquired_at) : null, t ? num(t.rating) : null);
    }
    return [
      b.pair_id,
      b.program_id,
      date(b.matched_at),
      date(b.ended_at),
      pick(v.values.status, b.status),
      b.end_reason || null,
      num(b.match_score),
      date(b.reverse_since),
      ...personCells(people.get(b.mentor_id)!),
      ...personCells(people.get(b.mentee_id)!),
      ...wide,
    ];
  });
  const unmatched = [...people.values()].filter((p) => !matched.has(p.participant_id));
  return [
    {
      name: v.sheets.program,
      header: [v.program.id, v.program.name, v.program.kind, v.program.start, v.program.end, v.program.currency, v.program.previous],
      rows: programs.map((p) => [p.program_id, p.name, pick(v.values.kind, p.kind), date(p.start_date), date(p.end_date), p.currency || null, p.previous_program_id || null]),
    },
    {
      name: v.sheets.topics,
      header: [v.topic.id, v.program.id, v.topic.name, v.topic.category],
      rows: topics.map((t) => [t.topic_id, t.program_id, t.name, pick(v.values.category, t.category)]),
    },
    {
      name: v.sheets.pairs,
      header: [v.pair.id, v.pair.program, v.pair.matched, v.pair.ended, v.pair.status, v.pair.reason, v.pair.score, v.pair.reverse, ...personHeaders(asMentor), ...personHeaders(asMentee), ...wideHeader],
      rows: pairRows,
    },
    {
      name: v.sheets.unmatched,
      header: [P.program, P.role, ...personHeaders((x) => x)],
      rows: unmatched.map((p) => [p.program_id, pick(v.values.role, p.role), ...personCells(p)]),
    },
    {
      name: v.sheets.meetings,
      header: [v.meeting.id, v.meeting.pair, v.meeting.date, v.meeting.mode, v.meeting.duration],
      rows: readTable(dir, "meetings").map((m) => [m.meeting_id, m.pair_id, date(m.date), pick(v.values.mode, m.mode), num(m.duration_minutes)]),
    },
    {
      name: v.sheets.evaluations,
      header: [v.evaluation.pair, v.evaluation.respondent, v.evaluation.phase, v.evaluation.date, v.evaluation.satisfaction, v.evaluation.chemistry, v.evaluation.continue, v.evaluation.comment],
      rows: readTable(dir, "evaluations").map((e) => [
        e.pair_id,
        pick(v.values.role, e.respondent),
        pick(v.values.phase, e.phase),
        date(e.submitted_at),
        num(e.satisfaction),
        num(e.chemistry),
        ["yes", "oui", "true"].includes(e.would_continue.toLowerCase()) ? v.values.yesNo.yes : v.values.yesNo.no,
        e.comment || null,
      ]),
    },
    {
      name: v.sheets.costs,
      header: [v.cost.program, v.cost.orgId, v.cost.date, v.cost.category, v.cost.amount, v.cost.currency],
      rows: readTable(dir, "costs").map((c) => [c.program_id, c.org_id || null, date(c.date), pick(v.values.cost, c.category), num(c.amount), c.currency]),
    },
    ...(existsSync(join(dir, "workforce.csv"))
      ? [
          {
            name: v.sheets.workforce,
            header: [P.program, P.id, P.orgId, P.birth, v.workforce.hired, P.level, P.gender, v.workforce.left, v.workforce.reason, v.workforce.promoted, v.workforce.observed],
            rows: readTable(dir, "workforce").map((w): Out[] => [
              w.program_id,
              w.person_id,
              w.org_id,
              { date: `${w.birth_year}-07-01` },
              date(w.hire_date),
              num(w.job_level),
              w.gender ? gender(w.gender) : null,
              date(w.left_at),
              w.leave_reason ? pick(v.values.leave, w.leave_reason) : null,
              date(w.promoted_at),
              date(w.observed_until),
            ]),
          },
        ]
      : []),
  ];
}

/** A cell in a CSV file of the layout: dates and numbers spelt the layout's way. */
function csvText(cell: Out, v: FlatVocabulary): string {
  if (cell === null) return "";
  if (typeof cell === "object") {
    const [y, m, d] = cell.date.split("-");
    return v.dateFormat === "DD/MM/YYYY" ? `${d}/${m}/${y}` : `${m}/${d}/${y}`;
  }
  if (typeof cell === "number") {
    const [whole, fraction] = (Number.isInteger(cell) ? String(cell) : cell.toFixed(2)).split(".");
    const grouped = whole.length > 3 ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, v.number.thousands) : whole;
    return fraction === undefined ? grouped : `${grouped}${v.number.decimal}${fraction}`;
  }
  return cell;
}

/** Writes the layout into `outDir`: `<name>.xlsx`, or one `<sheet>.csv` per sheet. Returns the paths written. */
export function writeFlatLayout(nativeDir: string, outDir: string, layout: string | FlatVocabulary, format: LayoutFormat, name: string): string[] {
  const v = typeof layout === "string" ? LAYOUTS[layout] : layout;
  if (!v) throw new Error(`unknown layout ${layout} (known: ${Object.keys(LAYOUTS).join(", ")})`);
  const sheets = flatSheets(nativeDir, v);
  if (format === "xlsx") {
    const wb = XLSX.utils.book_new();
    for (const sheet of sheets) {
      const aoa = [sheet.header, ...sheet.rows.map((r) => r.map((c) => (c !== null && typeof c === "object" ? excelSerial(c.date) : c)))];
      const ws = XLSX.utils.aoa_to_sheet(aoa);
      // Dates as Excel stores them: a serial number with a date format.
      sheet.rows.forEach((r, ri) =>
        r.forEach((c, ci) => {
          if (c !== null && typeof c === "object") ws[XLSX.utils.encode_cell({ r: ri + 1, c: ci })].z = v.dateFormat === "DD/MM/YYYY" ? "dd/mm/yyyy" : "mm/dd/yyyy";
        }),
      );
      XLSX.utils.book_append_sheet(wb, ws, sheet.name);
    }
    wb.Props = { CreatedDate: new Date(Date.UTC(2026, 0, 1)) };
    const path = join(outDir, `${name}.xlsx`);
    writeFileSync(path, XLSX.write(wb, { type: "buffer", bookType: "xlsx", compression: true }));
    return [path];
  }
  const paths: string[] = [];
  const delimiter = v.number.decimal === "," ? ";" : ",";
  const needsQuotes = new RegExp(`[${delimiter}"\\r\\n]`);
  for (const sheet of sheets) {
    const lines = [sheet.header, ...sheet.rows.map((r) => r.map((c) => csvText(c, v)))].map((fields) =>
      fields.map((f) => (needsQuotes.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(delimiter),
    );
    const path = join(outDir, `${sheet.name}.csv`);
    const text = lines.join("\r\n") + "\r\n";
    // A French spreadsheet's CSV is Windows-1252; an English one UTF-8.
    writeFileSync(path, v === FLAT_FR ? iconv.encode(text, "win1252") : Buffer.from(text, "utf8"));
    paths.push(path);
  }
  return paths;
}

/** An ISO date as an Excel serial (1900 date system). */
export function excelSerial(isoDate: string): number {
  return Date.UTC(+isoDate.slice(0, 4), +isoDate.slice(5, 7) - 1, +isoDate.slice(8, 10)) / 86400000 + 25569;
}
