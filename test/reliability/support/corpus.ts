/**
 * The bad-input corpus: malformed exports built from the small `basic` fixture, each with the
 * file (and line) its first problem must name. Generated at test time: nothing large is committed.
 */
import { randomBytes } from "node:crypto";
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES } from "./common.ts";

export interface BadCase {
  name: string;
  /** Files replaced (text or bytes), added, or removed (null). */
  changes: Record<string, string | Buffer | null | ((dir: string) => void)>;
  /** The file a problem must name, and the line when there is one (physical, header = 1). */
  file: string;
  line?: number;
}

const basic = (file: string) => readFileSync(join(FIXTURES, "basic", file), "utf8");
/** The basic file with line `n` (1-based, header = 1) replaced. */
function withLine(file: string, n: number, text: string): string {
  const lines = basic(file).split("\n");
  lines[n - 1] = text;
  return lines.join("\n");
}
/** The basic file with lines appended. */
const plus = (file: string, ...rows: string[]) => basic(file) + rows.map((r) => `${r}\n`).join("");

/** Writes `bytes` of seeded junk (no text structure, some NULs) to a path without holding it in memory. */
export function writeJunk(path: string, bytes: number): void {
  const fd = openSync(path, "w");
  try {
    const chunk = 1 << 20;
    for (let written = 0; written < bytes; written += chunk) writeSync(fd, randomBytes(Math.min(chunk, bytes - written)));
  } finally {
    closeSync(fd);
  }
}

/** A valid meetings header, then `bytes` of seeded printable junk with delimiters, quotes and line breaks. */
export function writeTextJunk(path: string, bytes: number): void {
  const alphabet = Buffer.from('abcXYZ019 ,;\t"\n\r-/:éà');
  const fd = openSync(path, "w");
  try {
    writeSync(fd, "meeting_id,pair_id,date,mode,duration_minutes\n");
    const chunk = 1 << 20;
    for (let written = 0; written < bytes; written += chunk) {
      const raw = randomBytes(Math.min(chunk, bytes - written));
      for (let i = 0; i < raw.length; i++) raw[i] = alphabet[raw[i] % alphabet.length];
      writeSync(fd, raw);
    }
  } finally {
    closeSync(fd);
  }
}

export function badCases(junkBytes: number): BadCase[] {
  return [
    // Column counts and quoting
    { name: "a row with too many columns", changes: { "pairs.csv": withLine("pairs.csv", 2, "B1,alpha,P1,P2,2025-01-15,,active,,0.8,2025-06-01,extra,more") }, file: "pairs.csv", line: 2 },
    { name: "a row with too few columns", changes: { "meetings.csv": withLine("meetings.csv", 3, "M2,B1,2025-03-01") }, file: "meetings.csv", line: 3 },
    { name: "a required column missing from the header", changes: { "participants.csv": basic("participants.csv").replace("birth_year,", "").replace(/,(19\d\d|20\d\d),/g, ",") }, file: "participants.csv", line: 1 },
    { name: "an unterminated quote", changes: { "participants.csv": withLine("participants.csv", 3, 'P2,alpha,ORG1,mentee,1998,M,1,"Lyon,fr,T1,2025-01-05,') }, file: "participants.csv" },
    { name: "an unterminated quote on the last line", changes: { "meetings.csv": plus("meetings.csv", 'M4,B2,2025-03-03,"offline,60') }, file: "meetings.csv" },
    { name: "a header only, where rows are referenced", changes: { "participants.csv": basic("participants.csv").split("\n")[0] + "\n" }, file: "pairs.csv", line: 2 },
    // Types
    { name: "a birth year that is not a number", changes: { "participants.csv": withLine("participants.csv", 2, "P1,alpha,ORG1,mentor,abc,F,5,Lyon,fr|en,T1|T2,2025-01-05,2025-01-10") }, file: "participants.csv", line: 2 },
    { name: "a duration with a unit", changes: { "meetings.csv": withLine("meetings.csv", 2, "M1,B1,2025-02-01,offline,1h") }, file: "meetings.csv", line: 2 },
    { name: "a match score in words", changes: { "pairs.csv": withLine("pairs.csv", 3, "B2,alpha,P3,P4,2025-01-15,2025-04-01,ended_early,moved,high,") }, file: "pairs.csv", line: 3 },
    { name: "an amount with two decimal marks", changes: { "costs.csv": withLine("costs.csv", 2, 'alpha,ORG1,2025-01-01,subscription,"12,34,56",EUR') }, file: "costs.csv", line: 2 },
    { name: "a job level with decimals", changes: { "participants.csv": withLine("participants.csv", 4, "P3,alpha,ORG2,mentor,1972,X,2.5,Paris,,T2,2025-01-06,2025-01-10") }, file: "participants.csv", line: 4 },
    { name: "a date that does not exist (month 13)", changes: { "meetings.csv": withLine("meetings.csv", 2, "M1,B1,2025-13-45,offline,60") }, file: "meetings.csv", line: 2 },
    { name: "a French date that does not exist (31/02)", changes: { "meetings.csv": withLine("meetings.csv", 3, "M2,B1,31/02/2025,online,45") }, file: "meetings.csv", line: 3 },
    { name: "a date in words", changes: { "programs.csv": withLine("programs.csv", 2, "alpha,Alpha 2025,intra,first of January,2025-12-31,EUR") }, file: "programs.csv", line: 2 },
    // Unknown values
    { name: "an unknown role", changes: { "participants.csv": withLine("participants.csv", 3, "P2,alpha,ORG1,coach,1998,M,1,Lyon,fr,T1,2025-01-05,") }, file: "participants.csv", line: 3 },
    { name: "an unknown program kind", changes: { "programs.csv": withLine("programs.csv", 2, "alpha,Alpha 2025,hybrid,2025-01-01,2025-12-31,EUR") }, file: "programs.csv", line: 2 },
    { name: "an unknown pair status", changes: { "pairs.csv": withLine("pairs.csv", 2, "B1,alpha,P1,P2,2025-01-15,,paused,,0.8,2025-06-01") }, file: "pairs.csv", line: 2 },
    { name: "an unknown meeting mode", changes: { "meetings.csv": withLine("meetings.csv", 4, "M3,B2,2025-02-03,phone,90") }, file: "meetings.csv", line: 4 },
    { name: "an unknown topic category", changes: { "topics.csv": withLine("topics.csv", 3, "T2,alpha,Social networks,misc") }, file: "topics.csv", line: 3 },
    { name: "an unknown would_continue", changes: { "evaluations.csv": withLine("evaluations.csv", 2, "B1,mentee,midpoint,2025-06-15,5,4,maybe,Great") }, file: "evaluations.csv", line: 2 },
    { name: "an unknown gender", changes: { "participants.csv": withLine("participants.csv", 2, "P1,alpha,ORG1,mentor,1965,Q,5,Lyon,fr|en,T1|T2,2025-01-05,2025-01-10") }, file: "participants.csv", line: 2 },
    { name: "a cost in another currency than the program's", changes: { "costs.csv": withLine("costs.csv", 3, "alpha,,2025-01-10,training,1200.50,USD") }, file: "costs.csv", line: 3 },
    // Ranges
    { name: "a satisfaction of 7", changes: { "evaluations.csv": withLine("evaluations.csv", 3, "B1,mentor,midpoint,2025-06-15,7,4,yes,") }, file: "evaluations.csv", line: 3 },
    { name: "a job level of 9", changes: { "participants.csv": withLine("participants.csv", 5, "P4,alpha,ORG2,mentee,2001,,9,Paris,en|de,,2025-01-06,") }, file: "participants.csv", line: 5 },
    { name: "a match score above 1", changes: { "pairs.csv": withLine("pairs.csv", 2, "B1,alpha,P1,P2,2025-01-15,,active,,1.5,2025-06-01") }, file: "pairs.csv", line: 2 },
    { name: "a birth year of 1900", changes: { "participants.csv": withLine("participants.csv", 2, "P1,alpha,ORG1,mentor,1900,F,5,Lyon,fr|en,T1|T2,2025-01-05,2025-01-10") }, file: "participants.csv", line: 2 },
    { name: "a birth year of 2020", changes: { "participants.csv": withLine("participants.csv", 5, "P4,alpha,ORG2,mentee,2020,,2,Paris,en|de,,2025-01-06,") }, file: "participants.csv", line: 5 },
    { name: "a negative meeting duration", changes: { "meetings.csv": withLine("meetings.csv", 2, "M1,B1,2025-02-01,offline,-60") }, file: "meetings.csv", line: 2 },
    // Broken references
    { name: "a pair's mentor who does not exist", changes: { "pairs.csv": withLine("pairs.csv", 2, "B1,alpha,P9,P2,2025-01-15,,active,,0.8,2025-06-01") }, file: "pairs.csv", line: 2 },
    { name: "a pair's mentee who is a mentor", changes: { "pairs.csv": withLine("pairs.csv", 3, "B2,alpha,P3,P1,2025-01-15,2025-04-01,ended_early,moved,0.4,") }, file: "pairs.csv", line: 3 },
    { name: "a meeting of an unknown pair", changes: { "meetings.csv": withLine("meetings.csv", 4, "M3,B9,2025-02-03,offline,90") }, file: "meetings.csv", line: 4 },
    { name: "a pair topic naming an unknown topic", changes: { "pair_topics.csv": withLine("pair_topics.csv", 3, "B2,T9,2025-01-15,,") }, file: "pair_topics.csv", line: 3 },
    { name: "a participant of an unknown organization", changes: { "participants.csv": withLine("participants.csv", 4, "P3,alpha,ORG9,mentor,1972,X,4,Paris,,T2,2025-01-06,2025-01-10") }, file: "participants.csv", line: 4 },
    { name: "a participant seeking an unknown topic", changes: { "participants.csv": withLine("participants.csv", 3, "P2,alpha,ORG1,mentee,1998,M,1,Lyon,fr,T1|T7,2025-01-05,") }, file: "participants.csv", line: 3 },
    { name: "an evaluation of an unknown pair", changes: { "evaluations.csv": withLine("evaluations.csv", 3, "B7,mentor,midpoint,2025-06-15,4,4,yes,") }, file: "evaluations.csv", line: 3 },
    { name: "a pair of another program than the export's", changes: { "pairs.csv": withLine("pairs.csv", 3, "B2,omega,P3,P4,2025-01-15,2025-04-01,ended_early,moved,0.4,") }, file: "pairs.csv", line: 3 },
    // Duplicates
    { name: "a duplicate participant id", changes: { "participants.csv": plus("participants.csv", "P2,alpha,ORG2,mentee,1990,F,2,Nantes,fr,,2025-01-07,") }, file: "participants.csv", line: 6 },
    { name: "a duplicate pair id", changes: { "pairs.csv": withLine("pairs.csv", 3, "B1,alpha,P3,P4,2025-01-15,2025-04-01,ended_early,moved,0.4,") }, file: "pairs.csv", line: 3 },
    { name: "a duplicate meeting id", changes: { "meetings.csv": withLine("meetings.csv", 3, "M1,B1,2025-03-01,online,45") }, file: "meetings.csv", line: 3 },
    { name: "a duplicate organization id with another name", changes: { "organizations.csv": plus("organizations.csv", "ORG1,Dana Fruits,Food") }, file: "organizations.csv", line: 4 },
    { name: "a stored organization id with another name", changes: { "organizations.csv": withLine("organizations.csv", 2, "ORG1,Dana Foods International,Food") }, file: "organizations.csv", line: 2 },
    // Dates that make no sense
    { name: "a meeting before the pair was matched", changes: { "meetings.csv": withLine("meetings.csv", 2, "M1,B1,2024-12-01,offline,60") }, file: "meetings.csv", line: 2 },
    { name: "a pair ended before it was matched", changes: { "pairs.csv": withLine("pairs.csv", 3, "B2,alpha,P3,P4,2025-01-15,2024-04-01,ended_early,moved,0.4,") }, file: "pairs.csv", line: 3 },
    { name: "an active pair with an end date", changes: { "pairs.csv": withLine("pairs.csv", 2, "B1,alpha,P1,P2,2025-01-15,2025-05-01,active,,0.8,") }, file: "pairs.csv", line: 2 },
    { name: "a topic acquired before the pair was matched", changes: { "pair_topics.csv": withLine("pair_topics.csv", 2, "B1,T1,2025-01-15,2024-03-01,5") }, file: "pair_topics.csv", line: 2 },
    { name: "reverse mentoring before the match", changes: { "pairs.csv": withLine("pairs.csv", 2, "B1,alpha,P1,P2,2025-01-15,,active,,0.8,2020-06-01") }, file: "pairs.csv", line: 2 },
    { name: "a date in year 20250", changes: { "meetings.csv": withLine("meetings.csv", 2, "M1,B1,20250-02-01,offline,60") }, file: "meetings.csv", line: 2 },
    // Whole files
    { name: "an empty file (0 bytes)", changes: { "participants.csv": "" }, file: "participants.csv" },
    { name: "an empty optional file (0 bytes)", changes: { "meetings.csv": "" }, file: "meetings.csv" },
    { name: "programs.csv without its header line", changes: { "programs.csv": basic("programs.csv").split("\n").slice(1).join("\n") }, file: "programs.csv", line: 1 },
    { name: "meetings.csv without its header line", changes: { "meetings.csv": basic("meetings.csv").split("\n").slice(1).join("\n") }, file: "meetings.csv", line: 1 },
    { name: "a file of blank lines", changes: { "pairs.csv": "\n\n\n" }, file: "pairs.csv" },
    { name: "a binary file", changes: { "pairs.csv": Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), randomBytes(4096)]) }, file: "pairs.csv" },
    { name: `a ${Math.round(junkBytes / 1048576)} MB file of junk`, changes: { "meetings.csv": (dir: string) => writeJunk(join(dir, "meetings.csv"), junkBytes) }, file: "meetings.csv" },
    { name: `${Math.round(junkBytes / 1048576)} MB of text junk under a valid header`, changes: { "meetings.csv": (dir: string) => writeTextJunk(join(dir, "meetings.csv"), junkBytes) }, file: "meetings.csv" },
    { name: "UTF-16 text (a wrong encoding)", changes: { "participants.csv": Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(basic("participants.csv"), "utf16le")]) }, file: "participants.csv" },
    { name: "a required file missing", changes: { "pairs.csv": null }, file: "pairs" },
    { name: "two files for one table", changes: { "meetings.json": JSON.stringify([{ meeting_id: "M1", pair_id: "B1", date: "2025-02-01", mode: "offline", duration_minutes: 60 }]) }, file: "meetings" },
    { name: "deeply nested JSON", changes: { "pairs.csv": null, "pairs.json": "[".repeat(100_000) + "]".repeat(100_000) }, file: "pairs.json" },
    { name: "deeply nested JSON objects in a record", changes: { "meetings.csv": null, "meetings.json": `[{"meeting_id":"M1","pair_id":"B1","date":"2025-02-01","mode":"offline","duration_minutes":${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}}]` }, file: "meetings.json" },
    { name: "JSON that is not an array of objects", changes: { "meetings.csv": null, "meetings.json": '{"meeting_id":"M1"}' }, file: "meetings.json" },
    { name: "JSON cut off in the middle", changes: { "meetings.csv": null, "meetings.json": '[{"meeting_id":"M1","pair_id":"B1","date":"2025-02-01","mo' }, file: "meetings.json" },
    { name: "NDJSON with a broken line", changes: { "meetings.csv": null, "meetings.ndjson": '{"meeting_id":"M1","pair_id":"B1","date":"2025-02-01","mode":"offline","duration_minutes":60}\n{"meeting_id":"M2",\n' }, file: "meetings.ndjson" },
    { name: "a Parquet file that is not Parquet", changes: { "meetings.csv": null, "meetings.parquet": basic("meetings.csv") }, file: "meetings.parquet" },
  ];
}
