/**
 * Bad input: a corpus of malformed exports, each rejected with a message naming its file (and
 * line where there is one) with the data unchanged; then a time-bounded fuzz of the CSV path.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, openDatabase, type Db } from "../../analytics/db/database.server.ts";
import { formatProblem, ingestExport, type IngestResult } from "../../analytics/ingest/index.server.ts";
import { LONG, exportCopy, fingerprint, removeTempDirs, rng, startCli, tempDir } from "./support/common.ts";
import { badCases, type BadCase } from "./support/corpus.ts";

const MB = 1024 * 1024;
const JUNK_BYTES = LONG ? 100 * MB : 5 * MB;
/** No single ingest of these small exports may take longer: beyond it, it is a hang. */
const INGEST_BOUND_MS = LONG ? 120_000 : 30_000;
const FUZZ_SECONDS = Number(process.env.BINOME_FUZZ_SECONDS ?? (LONG ? 300 : 20));

const FILE_PREFIX = /^(programs|organizations|participants|topics|pairs|meetings|pair_topics|evaluations|costs)(\.(csv|parquet|json|ndjson))?(:|$)/;

function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, fail) => (timer = setTimeout(() => fail(new Error(`hang: ${what} took more than ${ms} ms`)), ms))),
  ]);
}

function build(c: BadCase): string {
  const changes: Record<string, string | Buffer | null> = {};
  const later: ((dir: string) => void)[] = [];
  for (const [name, change] of Object.entries(c.changes)) {
    if (typeof change === "function") later.push(change);
    else changes[name] = change;
  }
  const dir = exportCopy("basic", changes);
  for (const write of later) write(dir);
  return dir;
}

let db: Db;
let stored: Record<string, string>;

beforeAll(async () => {
  db = await openDatabase(":memory:");
  await applySchema(db);
  expect((await ingestExport(db, [exportCopy("basic")])).outcome).toBe("imported");
  stored = await fingerprint(db);
});

afterAll(() => {
  db?.close();
  removeTempDirs();
});


describe("a corpus of malformed exports", () => {
  const cases = badCases(JUNK_BYTES);

  it("has at least 40 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  for (const c of cases) {
    it(`rejects ${c.name}, naming ${c.file}${c.line ? `:${c.line}` : ""}, data unchanged`, async () => {
      const dir = build(c);
      try {
        const result: IngestResult = await bounded(ingestExport(db, [dir]), INGEST_BOUND_MS, c.name);
        const lines = result.problems.map(formatProblem);
        expect(result.outcome, lines.join("\n")).toBe("invalid");
        expect(lines.length).toBeGreaterThan(0);
        // Every problem starts with the name of a file (or table) of the export.
        for (const line of lines) expect(line).toMatch(FILE_PREFIX);
        const where = c.line ? `${c.file}:${c.line}:` : c.file;
        expect(lines.some((l) => l.startsWith(where)), `no problem starts with ${where}:\n${lines.join("\n")}`).toBe(true);
        // A clear message: more than the location.
        const mine = lines.find((l) => l.startsWith(where))!;
        expect(mine.length).toBeGreaterThan(where.length + 10);
        expect(await fingerprint(db)).toEqual(stored);
      } finally {
        // A known bug may have imported the case: put the stored data back for the next cases.
        if (JSON.stringify(await fingerprint(db)) !== JSON.stringify(stored)) {
          await ingestExport(db, [exportCopy("basic")], { allowEmptying: true });
          expect(await fingerprint(db)).toEqual(stored);
        }
      }
    }, INGEST_BOUND_MS + 10_000);
  }

  // Once reported as DuckDB's "Error when sniffing file /tmp/…/participants.csv": no line, the
  // server's temporary path, and a word ("sniffing") that means nothing to the person.
  it("an unterminated quote: the line where it opens, no server path", async () => {
    const c = badCases(0).find((x) => x.name === "an unterminated quote")!;
    const result = await ingestExport(db, [build(c)]);
    const lines = result.problems.map(formatProblem);
    expect(lines[0]).toMatch(/^participants\.csv:3: /);
    expect(lines.join("\n")).not.toMatch(/\/tmp\/|sniffing/);
  });

  it("the CLI says the same on stderr and exits with 1 (a junk file)", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "binome.duckdb");
    const junk = build(badCases(1 * MB).find((x) => x.name.includes("file of junk"))!);
    const run = await startCli(["--db", dbPath, junk]).done;
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe("meetings.csv: not a text file (it holds NUL bytes)\n1 problem: nothing was written.\n");
  }, 60_000);
});

/** Seeded mutations of one CSV file of a valid export. */
const MUTATIONS: { name: string; apply: (bytes: Buffer, random: () => number) => Buffer }[] = [
  { name: "byte flips", apply: (b, r) => { const out = Buffer.from(b); for (let i = 0, n = 1 + Math.floor(r() * 8); i < n; i++) out[Math.floor(r() * out.length)] = Math.floor(r() * 256); return out; } },
  { name: "truncation", apply: (b, r) => b.subarray(0, Math.floor(r() * b.length)) },
  { name: "quote insertion", apply: (b, r) => { const at = Math.floor(r() * b.length); return Buffer.concat([b.subarray(0, at), Buffer.from(r() < 0.5 ? '"' : '""'), b.subarray(at)]); } },
  { name: "delimiter swap", apply: (b, r) => { const from = [0x2c, 0x3b, 0x09][Math.floor(r() * 3)]; const to = [0x2c, 0x3b, 0x09, 0x7c][Math.floor(r() * 4)]; const out = Buffer.from(b); for (let i = 0; i < out.length; i++) if (out[i] === from && r() < 0.7) out[i] = to; return out; } },
  { name: "line duplication", apply: (b, r) => { const lines = b.toString("latin1").split("\n"); const i = Math.floor(r() * lines.length); lines.splice(i, 0, lines[i]); return Buffer.from(lines.join("\n"), "latin1"); } },
  { name: "line deletion", apply: (b, r) => { const lines = b.toString("latin1").split("\n"); lines.splice(Math.floor(r() * lines.length), 1); return Buffer.from(lines.join("\n"), "latin1"); } },
  { name: "random bytes inserted", apply: (b, r) => { const at = Math.floor(r() * b.length); const junk = Buffer.from(Array.from({ length: 1 + Math.floor(r() * 16) }, () => Math.floor(r() * 256))); return Buffer.concat([b.subarray(0, at), junk, b.subarray(at)]); } },
  { name: "line breaks to CR", apply: (b) => Buffer.from(b.toString("latin1").replaceAll("\n", "\r"), "latin1") },
  { name: "field emptied", apply: (b, r) => { const text = b.toString("latin1"); const fields = [...text.matchAll(/[^,\n]+/g)]; const f = fields[Math.floor(r() * fields.length)]; return f ? Buffer.from(text.slice(0, f.index) + text.slice(f.index! + f[0].length), "latin1") : b; } },
  { name: "a huge field", apply: (b, r) => { const at = Math.floor(r() * b.length); return Buffer.concat([b.subarray(0, at), Buffer.alloc(200_000 + Math.floor(r() * 300_000), 0x41), b.subarray(at)]); } },
];

describe("fuzzing the CSV path", () => {
  it(`finds no crash and no hang in ${FUZZ_SECONDS} s of seeded mutations`, async () => {
    const seed = Number(process.env.BINOME_FUZZ_SEED ?? 8);
    const random = rng(seed);
    const source = join(import.meta.dirname, "../fixtures/exports/basic");
    const files = readdirSync(source).filter((f) => f.endsWith(".csv")).sort();
    const failures = tempDir("binome-fuzz-failures-");
    const outcomes: Record<string, number> = {};
    const problems: string[] = [];
    let iterations = 0;
    let slowest = 0;
    const end = Date.now() + FUZZ_SECONDS * 1000;
    while (Date.now() < end) {
      const file = files[Math.floor(random() * files.length)];
      const mutation = MUTATIONS[Math.floor(random() * MUTATIONS.length)];
      let bytes: Buffer = readFileSync(join(source, file));
      // One to three mutations stacked.
      for (let i = 0, n = 1 + Math.floor(random() * 3); i < n; i++) bytes = mutation.apply(bytes, random);
      const dir = exportCopy("basic", { [file]: bytes });
      const started = Date.now();
      try {
        const result = await bounded(ingestExport(db, [dir]), INGEST_BOUND_MS, `${mutation.name} of ${file}`);
        outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
        // Whatever was imported or refused, each problem names a file.
        for (const p of result.problems) if (!FILE_PREFIX.test(formatProblem(p))) problems.push(`${mutation.name} of ${file}: ${formatProblem(p)}`);
      } catch (error) {
        const kept = join(failures, `iteration-${iterations}`);
        mkdirSync(kept, { recursive: true });
        writeFileSync(join(kept, file), bytes);
        problems.push(`${mutation.name} of ${file} (input kept in ${kept}): ${error instanceof Error ? error.message : String(error)}`);
        outcomes.crash = (outcomes.crash ?? 0) + 1;
        if (String(error).startsWith("Error: hang")) break;
      }
      slowest = Math.max(slowest, Date.now() - started);
      iterations++;
    }
    console.log(`fuzz: seed ${seed}, ${iterations} iterations in ${FUZZ_SECONDS} s, slowest ${slowest} ms, outcomes ${JSON.stringify(outcomes)}`);
    expect(problems).toEqual([]);
    expect(iterations).toBeGreaterThan(5);
    expect(Object.keys(outcomes).every((o) => ["invalid", "imported", "refused", "noop"].includes(o))).toBe(true);
  }, (FUZZ_SECONDS + 90) * 1000);
});
