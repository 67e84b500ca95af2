import { rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { withMemoryDatabase } from "../../analytics/db/database.server.ts";
import { formatProblem } from "../../analytics/ingest/index.server.ts";
import { describeReadError } from "../../analytics/ingest/stage.server.ts";
import { exportCopy, ingest, snapshot } from "./helpers.ts";

const BAD_ROWS = {
  "programs.csv": `program_id,name,kind,start_date,end_date,currency
alpha,Alpha 2025,intra,2025-01-01,2024-12-31,EUR
beta,Beta,mixed,2025-01-01,2025-12-31,eu
`,
  "participants.csv": `participant_id,program_id,org_id,role,birth_year,gender,job_level,city,languages,topics,joined_at,trained_at
P1,alpha,ORG1,mentor,1965,F,5,"Lyon
(Rhône)",fr|en,T1|T2,2025-01-05,2025-01-10
P2,alpha,ORG1,mentee,1920,M,1,Lyon,fr,T1,2025-01-05,
P3,alpha,ORG9,boss,1972,Z,7,Paris,,T9,,31/02/2025
P1,alpha,ORG2,mentee,2001,,2,Paris,en|de,,2025-01-06,
P5,gamma,ORG2,mentee,2001,,2,Paris,en|de,,2025-01-06,
P6,alpha,ORG2,mentee,19x0,,"2,5",Paris,,,2025-13-01,
`,
  "pairs.csv": `pair_id,program_id,mentor_id,mentee_id,matched_at,ended_at,status,end_reason,match_score,reverse_since
B1,alpha,P2,P2,2025-01-15,2025-02-01,active,,"1,5",2025-01-01
B2,alpha,P1,P7,2025-01-15,2025-01-01,ended_early,moved,0.4,
B1,alpha,P1,P2,2025-01-15,,paused,,,
`,
  "meetings.csv": `meeting_id,pair_id,date,mode,duration_minutes
M1,B1,2025-01-01,offline,60
M1,B2,2025-03-01,phone,abc
M3,B9,2025-02-03,offline,90
`,
  "pair_topics.csv": `pair_id,topic_id,targeted_at,acquired_at,rating
B1,T1,2025-01-15,2025-01-01,5
B2,T8,2025-01-15,,0
`,
  "evaluations.csv": `pair_id,respondent,phase,submitted_at,satisfaction,chemistry,would_continue,comment
B1,mentee,midpoint,2025-06-15,6,4,maybe,Great
B1,mentee,midpoint,2025-06-15,4,4,yes,
`,
  "costs.csv": `program_id,org_id,date,category,amount,currency
alpha,ORG1,2025-01-01,subscription,"1.234,50",USD
alpha,ORG7,2025-01-10,training,1200.50,EUR
`,
};

describe("validation: every problem, one line each, in file order", () => {
  it("reports types, allowed values, ranges, duplicates, references and dates with the exact line shape", async () => {
    await withMemoryDatabase(async (db) => {
      const result = await ingest(db, [exportCopy("basic", BAD_ROWS)]);
      expect(result.outcome).toBe("invalid");
      expect(result.lines).toEqual([
        'programs.csv:2: end_date: before start_date 2025-01-01 ("2024-12-31")',
        'programs.csv:3: kind: not one of intra, inter ("mixed")',
        'programs.csv:3: currency: not a currency code (three letters, ISO 4217) ("eu")',
        'participants.csv:4: birth_year: out of range 1930–2010 ("1920")',
        'participants.csv:5: org_id: no organization with this org_id (in organizations or already stored) ("ORG9")',
        'participants.csv:5: role: not one of mentor, mentee ("boss")',
        'participants.csv:5: gender: not one of F, M, X ("Z")',
        'participants.csv:5: job_level: out of range 1–5 ("7")',
        'participants.csv:5: topics: no topic with this topic_id in the program ("T9")',
        "participants.csv:5: joined_at: missing value",
        'participants.csv:5: trained_at: not a date (expected YYYY-MM-DD or DD/MM/YYYY) ("31/02/2025")',
        'participants.csv:6: participant_id: duplicate for the same program_id, first on line 2 ("P1")',
        'participants.csv:7: program_id: no program with this program_id in programs ("gamma")',
        'participants.csv:8: birth_year: not a whole number ("19x0")',
        'participants.csv:8: job_level: not a whole number ("2,5")',
        'participants.csv:8: joined_at: not a date (expected YYYY-MM-DD or DD/MM/YYYY) ("2025-13-01")',
        'pairs.csv:2: mentor_id: participant is a mentee, not a mentor ("P2")',
        'pairs.csv:2: ended_at: a pair with status active has no ended_at ("2025-02-01")',
        'pairs.csv:2: match_score: out of range 0–1 ("1,5")',
        'pairs.csv:2: reverse_since: before matched_at 2025-01-15 ("2025-01-01")',
        'pairs.csv:3: mentor_id: participant is a mentee, not a mentor ("P1")',
        'pairs.csv:3: mentee_id: no participant with this id in the pair\'s program ("P7")',
        'pairs.csv:3: ended_at: before matched_at 2025-01-15 ("2025-01-01")',
        'pairs.csv:4: pair_id: duplicate, first on line 2 ("B1")',
        'pairs.csv:4: mentor_id: participant is a mentee, not a mentor ("P1")',
        'pairs.csv:4: status: not one of active, completed, ended_early ("paused")',
        'meetings.csv:2: date: before the pair\'s matched_at 2025-01-15 ("2025-01-01")',
        'meetings.csv:3: meeting_id: duplicate in the same program, first on line 2 ("M1")',
        'meetings.csv:3: mode: not one of online, offline ("phone")',
        'meetings.csv:3: duration_minutes: not a whole number ("abc")',
        'meetings.csv:4: pair_id: no pair with this pair_id in pairs ("B9")',
        'pair_topics.csv:2: acquired_at: before the pair\'s matched_at 2025-01-15 ("2025-01-01")',
        'pair_topics.csv:3: topic_id: no topic with this topic_id in the pair\'s program ("T8")',
        'pair_topics.csv:3: rating: out of range 1–5 ("0")',
        'evaluations.csv:2: satisfaction: out of range 1–5 ("6")',
        'evaluations.csv:2: would_continue: not yes or no (oui/non) ("maybe")',
        'evaluations.csv:3: phase: duplicate for the same pair_id and respondent, first on line 2 ("midpoint")',
        'costs.csv:2: amount: not a number (decimal mark . or , and thousands separated by spaces only) ("1.234,50")',
        'costs.csv:2: currency: differs from the program\'s currency EUR ("USD")',
        'costs.csv:3: org_id: no organization with this org_id (in organizations or already stored) ("ORG7")',
      ]);
      expect(await snapshot(db)).toEqual(await withMemoryDatabase(snapshot));
      expect(await db.all("select status, problem_count from imports")).toEqual([{ status: "invalid", problem_count: result.problems.length }]);
    });
  });

  it("names the expected role when a pair's participant has an invalid role", async () => {
    await withMemoryDatabase(async (db) => {
      const dir = exportCopy("basic", {
        "participants.csv": `participant_id,program_id,org_id,role,birth_year,gender,job_level,city,languages,topics,joined_at,trained_at
P1,alpha,ORG1,coach,1965,F,5,Lyon,fr|en,T1|T2,2025-01-05,2025-01-10
P2,alpha,ORG1,mentee,1998,M,1,Lyon,fr,T1,2025-01-05,
P3,alpha,ORG2,mentor,1972,X,4,Paris,,T2,2025-01-06,2025-01-10
P4,alpha,ORG2,mentee,2001,,2,Paris,en|de,,2025-01-06,
`,
      });
      const result = await ingest(db, [dir]);
      expect(result.lines).toEqual([
        'participants.csv:2: role: not one of mentor, mentee ("coach")',
        'pairs.csv:2: mentor_id: participant has no valid role (see participants), expected a mentor ("P1")',
      ]);
    });
  });

  it("reports whole-file problems: missing, empty, not text, two files for one table, missing column, unreadable records", async () => {
    await withMemoryDatabase(async (db) => {
      const dir = exportCopy("basic", {
        "organizations.csv": null,
        "pair_topics.csv": "",
        "evaluations.csv": Buffer.from("pair_id\u0000,respondent\n", "latin1"),
        "programs.json": JSON.stringify([{ program_id: "alpha" }]),
        "costs.csv": "program_id,org_id,date,category,amount\n",
        "meetings.csv":
          'meeting_id,pair_id,date,mode,duration_minutes\r\nM1,B1,2025-02-01,offline,60\r\nM2,"B\r\n1",2025-02-01,offline,60,7\r\nM3,B1,2025-02-01\r\n\r\nM4,B1,2025-02-01,offline,x\r\n',
      });
      const result = await ingest(db, [dir]);
      expect(result.lines).toEqual([
        "programs.json: two files for table programs (programs.csv, programs.json): keep one",
        "organizations: required file missing (organizations.csv, .parquet, .json or .ndjson)",
        "meetings.csv:3: too many fields (the header has 5, this record 6)",
        "meetings.csv:5: too few fields (the header has 5, this record 3)",
        'meetings.csv:7: duration_minutes: not a whole number ("x")',
        "pair_topics.csv: empty file (not even a header): an empty file would wipe this part of the program",
        "evaluations.csv: not a text file (it holds NUL bytes)",
        "costs.csv:1: currency: missing required column",
      ]);
    });
  });

  it("numbers Parquet and JSON problems by row", async () => {
    await withMemoryDatabase(async (db) => {
      const dir = exportCopy("basic", {
        "meetings.csv": null,
        "meetings.json": JSON.stringify([
          { meeting_id: "M1", pair_id: "B1", date: "2025-02-01", mode: "offline", duration_minutes: 60 },
          { meeting_id: "M2", pair_id: "B1", date: "2025-02-01", mode: "offline", duration_minutes: 0 },
          "not an object",
        ]),
        "costs.csv": null,
        "costs.ndjson": '{"program_id":"alpha","date":"2025-01-01","category":"other","amount":12.5,"currency":"EUR"}\n{"program_id":"alpha","date":"2025-01-01","amount":12.5,"currency":"EUR"}\n',
      });
      const result = await ingest(db, [dir]);
      expect(result.lines).toEqual([
        'meetings.json:row 2: duration_minutes: out of range 1–1440 ("0")',
        "meetings.json:row 3: not a JSON object",
        "meetings.json:row 3: meeting_id: missing value",
        "meetings.json:row 3: pair_id: missing value",
        "meetings.json:row 3: date: missing value",
        "meetings.json:row 3: mode: missing value",
        "meetings.json:row 3: duration_minutes: missing value",
        "costs.ndjson:row 2: category: missing value",
      ]);
    });
  });

  it("rejects an org_id stored under another name", async () => {
    await withMemoryDatabase(async (db) => {
      expect((await ingest(db, [exportCopy("basic")])).outcome).toBe("imported");
      const other = exportCopy("basic", {
        "programs.csv": "program_id,name,kind,start_date,end_date\nbeta,Beta,inter,2025-01-01,2025-12-31\n",
        "organizations.csv": "org_id,name\nORG1,Dana Foods Europe\nORG2,Skyward\n",
        "participants.csv": "participant_id,program_id,org_id,role,birth_year,joined_at\nP1,beta,ORG1,mentor,1970,2025-01-01\nP2,beta,ORG2,mentee,1990,2025-01-01\n",
        "topics.csv": null, "pairs.csv": "pair_id,program_id,mentor_id,mentee_id,matched_at,status\nB1,beta,P1,P2,2025-01-02,active\n",
        "meetings.csv": null, "pair_topics.csv": null, "evaluations.csv": null, "costs.csv": null,
      });
      const result = await ingest(db, [other]);
      expect(result.lines).toEqual([
        'organizations.csv:2: name: org_id ORG1 is stored with the name "Dana Foods"; an org_id keeps its name ("Dana Foods Europe")',
      ]);
    });
  });

  it("refuses an org_id that is *, blank, or holds spaces or control characters, in every file, all or nothing (issue 11 f)", async () => {
    // `*` was the internal "everyone" scope; an organization imported under it gave its hr users
    // every organization's people. The rule is analytics/domain/identifiers.ts.
    const rule = "not an organization identifier (1 to 64 letters, digits or _ . : - starting with a letter or digit)";
    for (const format of ["csv", "json"] as const) {
      await withMemoryDatabase(async (db) => {
        const organizations = [
          { org_id: "ORG1", name: "Dana Foods" },
          { org_id: "ORG2", name: "Skyward" },
          { org_id: "*", name: "Star" },
          { org_id: "\u00a0", name: "Blank" },
          { org_id: "\t", name: "Tab" },
          { org_id: "ORG\u00013", name: "Control" },
          { org_id: "ORG 4", name: "Space" },
        ];
        const changes: Record<string, string | null> =
          format === "csv"
            ? { "organizations.csv": `org_id,name\n${organizations.map((o) => `${o.org_id},${o.name}`).join("\n")}\n` }
            : { "organizations.csv": null, "organizations.json": JSON.stringify(organizations) };
        changes["participants.csv"] = `participant_id,program_id,org_id,role,birth_year,joined_at
P1,alpha,ORG1,mentor,1965,2025-01-05
P2,alpha,*,mentee,1998,2025-01-05
P3,alpha,ORG2,mentor,1972,2025-01-06
P4,alpha,ORG2,mentee,2001,2025-01-06
`;
        changes["costs.csv"] = "program_id,org_id,date,category,amount,currency\nalpha,ORG1,2025-01-01,subscription,5000.00,EUR\nalpha,*,2025-01-10,training,10,EUR\nalpha,,2025-01-10,training,1200.50,EUR\n";
        const result = await ingest(db, [exportCopy("basic", changes)]);
        expect(result.outcome).toBe("invalid");
        const at = (n: number) => (format === "csv" ? `organizations.csv:${n}:` : `organizations.json:row ${n - 1}:`);
        expect(result.lines).toEqual([
          `${at(4)} org_id: ${rule} ("*")`,
          `${at(5)} org_id: ${rule} ("\u00a0")`,
          `${at(6)} org_id: ${rule} ("\\t")`,
          `${at(7)} org_id: ${rule} ("ORG\\u00013")`,
          `${at(8)} org_id: ${rule} ("ORG 4")`,
          `participants.csv:3: org_id: ${rule} ("*")`,
          `costs.csv:3: org_id: ${rule} ("*")`,
        ]);
        // All or nothing: not one row stored.
        expect(await snapshot(db)).toEqual(await withMemoryDatabase(snapshot));
      });
    }
  });

  it("reports at most 100 problems per file, then how many more", async () => {
    await withMemoryDatabase(async (db) => {
      const rows = Array.from({ length: 150 }, (_, i) => `X${i},B1,2025-02-01,walking,60`).join("\n");
      const result = await ingest(db, [exportCopy("basic", { "meetings.csv": `meeting_id,pair_id,date,mode,duration_minutes\n${rows}\n` })]);
      expect(result.lines).toHaveLength(101);
      expect(result.lines[0]).toBe('meetings.csv:2: mode: not one of online, offline ("walking")');
      expect(result.lines[99]).toBe('meetings.csv:101: mode: not one of online, offline ("walking")');
      expect(result.lines[100]).toBe("meetings.csv: … 50 more");
      expect(await db.all("select status, problem_count from imports")).toEqual([{ status: "invalid", problem_count: 150 }]);
    });
  });
});

describe("an export spread over several folders", () => {
  it("reads one table from files of several folders, and names a file by its folder in problems", async () => {
    await withMemoryDatabase(async (db) => {
      const main = exportCopy("basic", { "meetings.csv": "meeting_id,pair_id,date,mode,duration_minutes\nM1,B1,2025-02-01,offline,60\n" });
      const more = exportCopy("basic", {});
      for (const name of ["programs.csv", "organizations.csv", "participants.csv", "topics.csv", "pairs.csv", "pair_topics.csv", "evaluations.csv", "costs.csv"]) {
        rmSync(join(more, name));
      }
      writeFileSync(join(more, "meetings.csv"), "meeting_id,pair_id,date,mode,duration_minutes\nM2,B2,2025-02-03,offline,90\nM1,B1,2025-01-01,walk,60\n");
      const result = await ingest(db, [main, more]);
      const a = basename(main);
      const b = basename(more);
      expect(result.lines).toEqual([
        `${b}/meetings.csv:3: meeting_id: duplicate in the same program, first on line 2 of ${a}/meetings.csv ("M1")`,
        `${b}/meetings.csv:3: date: before the pair's matched_at 2025-01-15 ("2025-01-01")`,
        `${b}/meetings.csv:3: mode: not one of online, offline ("walk")`,
      ]);
      writeFileSync(join(more, "meetings.csv"), "meeting_id,pair_id,date,mode,duration_minutes\nM2,B2,2025-02-03,offline,90\n");
      expect((await ingest(db, [main, more])).outcome).toBe("imported");
      expect(await db.all("select meeting_id from meetings order by 1")).toEqual([{ meeting_id: "M1" }, { meeting_id: "M2" }]);
    });
  });
});

describe("regressions found by the reliability suite", () => {
  const PAIRS_HEADER = "pair_id,program_id,mentor_id,mentee_id,matched_at,ended_at,status,end_reason,match_score,reverse_since";

  it("refuses an active pair with an end date in an otherwise valid export (decided on typed values, not on raw text)", async () => {
    await withMemoryDatabase(async (db) => {
      const before = await snapshot(db);
      const iso = await ingest(db, [exportCopy("basic", { "pairs.csv": `${PAIRS_HEADER}\nB1,alpha,P1,P2,2025-01-15,2025-05-01,active,,0.8,\nB2,alpha,P3,P4,2025-01-15,2025-04-01,ended_early,moved,0.4,\n` })]);
      expect(iso.outcome).toBe("invalid");
      expect(iso.lines).toEqual(['pairs.csv:2: ended_at: a pair with status active has no ended_at ("2025-05-01")']);
      // The value is quoted as written (from the second staging, which keeps the raw text).
      const french = await ingest(db, [exportCopy("basic", { "pairs.csv": `${PAIRS_HEADER}\nB1,alpha,P1,P2,2025-01-15,01/05/2025,Active,,0.8,\nB2,alpha,P3,P4,2025-01-15,2025-04-01,ended_early,moved,0.4,\n` })]);
      expect(french.lines).toEqual(['pairs.csv:2: ended_at: a pair with status active has no ended_at ("01/05/2025")']);
      expect(await snapshot(db)).toEqual(before);
    });
  });

  it("reports a CSV without its header line as missing required columns, whichever columns the first record happens to match", async () => {
    await withMemoryDatabase(async (db) => {
      // The first record matches no column but the optional `currency` has a default: the
      // generated checks then start with a type check, which once left the union without names.
      const result = await ingest(db, [exportCopy("basic", { "programs.csv": "alpha,Alpha 2025,intra,2025-01-01,2025-12-31,EUR\n" })]);
      expect(result.outcome).toBe("invalid");
      expect(result.lines).toEqual([
        "programs.csv:1: program_id: missing required column",
        "programs.csv:1: name: missing required column",
        "programs.csv:1: kind: missing required column",
        "programs.csv:1: start_date: missing required column",
        "programs.csv:1: end_date: missing required column",
      ]);
      expect((await db.all<{ n: number }>("select count(*)::integer as n from programs"))[0].n).toBe(0);
    });
  });

  it("reports an unterminated quote on the physical line where it opens, in the person's words, with no server path", async () => {
    await withMemoryDatabase(async (db) => {
      const header = "participant_id,program_id,org_id,role,birth_year,gender,job_level,city,languages,topics,joined_at,trained_at";
      const middle = await ingest(db, [
        exportCopy("basic", {
          "participants.csv": `${header}\nP1,alpha,ORG1,mentor,1965,F,5,Lyon,fr|en,T1|T2,2025-01-05,2025-01-10\nP2,alpha,ORG1,mentee,1998,M,1,"Lyon,fr,T1,2025-01-05,\nP3,alpha,ORG2,mentor,1972,X,4,Paris,,T2,2025-01-06,2025-01-10\nP4,alpha,ORG2,mentee,2001,,2,Paris,en|de,,2025-01-06,\n`,
        }),
      ]);
      expect(middle.outcome).toBe("invalid");
      expect(middle.lines).toEqual(['participants.csv:3: unterminated quoted field (a " opens here and never closes)']);
      // A closed quoted field spanning lines before it moves the physical line, not the record's.
      const spanning = await ingest(db, [
        exportCopy("basic", {
          "participants.csv": `${header}\nP1,alpha,ORG1,mentor,1965,F,5,"Lyon\n(Rhône)",fr|en,T1|T2,2025-01-05,2025-01-10\nP2,alpha,ORG1,mentee,1998,M,1,Lyon,fr,T1,2025-01-05,\nP3,alpha,ORG2,mentor,1972,X,4,"Paris,,T2,2025-01-06,2025-01-10\nP4,alpha,ORG2,mentee,2001,,2,Paris,en|de,,2025-01-06,\n`,
        }),
      ]);
      expect(spanning.lines).toEqual(['participants.csv:5: unterminated quoted field (a " opens here and never closes)']);
    });
  });

  it("reports a file DuckDB cannot read by its name in the export only: no server path, no DuckDB internals", async () => {
    await withMemoryDatabase(async (db) => {
      const result = await ingest(db, [
        exportCopy("basic", { "meetings.csv": null, "meetings.json": '[{"meeting_id":"M1","pair_id":"B1","date":"2025-02-01","mo' }),
      ]);
      expect(result.lines).toEqual(["meetings.json: not valid JSON: Malformed JSON, at byte 58 in record/value 2: unexpected end of data."]);
      const junk = await ingest(db, [exportCopy("basic", { "meetings.csv": `meeting_id,pair_id,date,mode,duration_minutes\n${'a;b\tc,d\n"x"y,,\n'.repeat(2000)}` })]);
      expect(junk.lines.join("\n")).not.toMatch(/\/tmp\/|sniff|Error/);
      expect(junk.lines.every((l) => l.startsWith("meetings.csv"))).toBe(true);
    });
    const file = { name: "meetings.csv", readPath: "/srv/binome/tmp/binome-ingest-x/meetings.utf8.csv" };
    expect(describeReadError(new Error(`IO Error: Cannot open file "${file.readPath}": No such file or directory`), file)).toBe('Cannot open file "meetings.csv": No such file or directory');
    expect(describeReadError(new Error("Invalid Input Error: Malformed JSON in file \"/var/tmp/a b/x.json\", at byte 3: bad"), file)).toBe("Malformed JSON, at byte 3: bad");
    expect(describeReadError(new Error("Invalid Input Error: failed to read /home/hr/export/meetings.csv here"), file)).toBe('failed to read "meetings.csv" here');
  });
});

describe("formatProblem", () => {
  it("writes FILE:LINE, FILE:row N and FILE: forms, JSON-quotes the value and cuts it at 80 characters", () => {
    const base = { file: "pairs.csv", line: null, row: null, column: null, value: null };
    expect(formatProblem({ ...base, line: 4, column: "status", message: "not one of active, completed, ended_early", value: 'en "cours"' })).toBe(
      'pairs.csv:4: status: not one of active, completed, ended_early ("en \\"cours\\"")',
    );
    expect(formatProblem({ ...base, file: "pairs.parquet", row: 7, column: "pair_id", message: "missing value" })).toBe("pairs.parquet:row 7: pair_id: missing value");
    expect(formatProblem({ ...base, line: 1, column: "status", message: "missing required column" })).toBe("pairs.csv:1: status: missing required column");
    expect(formatProblem({ ...base, message: "empty file" })).toBe("pairs.csv: empty file");
    const long = formatProblem({ ...base, line: 2, column: "end_reason", message: "x", value: "é".repeat(100) });
    expect(long).toBe(`pairs.csv:2: end_reason: x ("${"é".repeat(80)}…")`);
  });
});
